package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.LatentType;
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
            Path dir = Files.createTempDirectory("latentnlp-annotator-test");
            Path corpus = corpus(dir.resolve("train.txt"), 300, 3);
            Path valid = corpus(dir.resolve("valid.txt"), 40, 4);
            TrainConfig cfg = TrainConfig.builder().latentType(LatentType.CATEGORICAL).latentDim(4).categories(4).embeddingDim(16).hiddenDim(24)
                    .vocabSize(200).minCount(1).maxLength(20).batchSize(16).epochs(1).evalSamples(2).testSamples(2).learningRate(3e-3).build();
            categorical = TrainingRun.run(cfg, new TrainingRun.Inputs(corpus, valid, null), dir.resolve("run"), "tiny-groups", null, false, "test",
                    new PrintStream(OutputStream.nullOutputStream())).bundle();
        }
        return categorical;
    }

    /** A Bernoulli VAE with 16-bit hashes and training maximum length 20, trained for one short epoch. */
    static synchronized Path bernoulli() throws Exception {
        if (bernoulli == null) {
            Path dir = Files.createTempDirectory("latentnlp-annotator-test");
            Path corpus = corpus(dir.resolve("train.txt"), 300, 1);
            Path valid = corpus(dir.resolve("valid.txt"), 40, 2);
            TrainConfig cfg = TrainConfig.builder().latentType(LatentType.BERNOULLI).latentDim(16).embeddingDim(16).hiddenDim(24).vocabSize(200)
                    .minCount(1).maxLength(20).batchSize(16).epochs(1).evalSamples(2).testSamples(2).learningRate(3e-3).build();
            bernoulli = TrainingRun.run(cfg, new TrainingRun.Inputs(corpus, valid, null), dir.resolve("run"), "tiny-bits", null, false, "test",
                    new PrintStream(OutputStream.nullOutputStream())).bundle();
        }
        return bernoulli;
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
