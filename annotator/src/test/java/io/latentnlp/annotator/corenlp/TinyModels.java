package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.TrainingRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small real bundles for tests, trained once per JVM (a few seconds each) until shipped models exist. */
final class TinyModels {

    private static Path bernoulli;
    private static Path categorical;

    private TinyModels() {}

    /** A categorical VAE (4 groups of 4 classes, 8-bit hashes), training maximum length 20, one short epoch. */
    static synchronized Path categorical() throws Exception {
        if (categorical == null) {
            categorical = train(TrainConfig.builder().latentType(LatentType.CATEGORICAL).latentDim(4).categories(4), "tiny-groups", 3);
        }
        return categorical;
    }

    /** A Bernoulli VAE with 16-bit hashes and training maximum length 20, trained for one short epoch. */
    static synchronized Path bernoulli() throws Exception {
        if (bernoulli == null) {
            bernoulli = train(TrainConfig.builder().latentType(LatentType.BERNOULLI).latentDim(16), "tiny-bits", 1);
        }
        return bernoulli;
    }

    /** Trains the tiny recipe with the latent settings of {@code latent} on a corpus drawn from {@code seed}. */
    private static Path train(TrainConfig.Builder latent, String name, long seed) throws Exception {
        Path dir = Files.createTempDirectory("latentnlp-annotator-test");
        Path corpus = corpus(dir.resolve("train.txt"), 300, seed);
        Path valid = corpus(dir.resolve("valid.txt"), 40, seed + 1);
        TrainConfig cfg = latent.embeddingDim(16).hiddenDim(24).vocabSize(200).minCount(1).maxLength(20).batchSize(16).epochs(1).evalSamples(2)
                .testSamples(2).learningRate(3e-3).build();
        return TrainingRun.run(cfg, new TrainingRun.Inputs(corpus, valid, null), dir.resolve("run"), name, null, false, "test",
                new PrintStream(OutputStream.nullOutputStream())).bundle();
    }

    private static Path corpus(Path file, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        String[][] words = {{"the", "cat", "sat", "on", "a", "mat", "and", "purred"}, {"ships", "sail", "the", "wide", "sea", "at", "dawn", "today"}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String[] t = words[rng.nextInt(2)];
            for (int j = 0, len = 2 + rng.nextInt(8); j < len; j++) {
                sb.append(t[rng.nextInt(t.length)]).append(' ');
            }
            sb.append(".\n");
        }
        Files.writeString(file, sb.toString());
        return file;
    }
}
