package io.latentnlp.training.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.runtime.VaeScorer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.VaeTrainer;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Throughput of one trained model on two engines in the same process: ONNX Runtime (the bundle)
 * and DJL (the run's best parameters), encode and score (decoder log-probabilities at the
 * posterior mean), at batch 1 and at batch 64; and training tokens per second of the VAE and
 * of the language-model baseline of the same size. Each figure is the median of the repeats,
 * after one warm-up pass. Not a test: a measurement for {@code docs/benchmarks.md}.
 */
public final class InferenceBenchmark {

    /** One measured figure. */
    public record Row(String what, String engine, String batch, double perSecond, String unit) {}

    private InferenceBenchmark() {}

    /**
     * @param runDir a finished training run (config.json, vocab.txt, best-params.ndl)
     * @param bundlePath the bundle exported from it
     * @param sentences ids ending in {@code </s>}
     * @param repeats measured passes per figure (median reported)
     * @param trainSteps training steps measured per model (0 = skip training throughput)
     */
    public static List<Row> run(Path runDir, Path bundlePath, List<int[]> sentences, int repeats, int trainSteps, PrintStream log) throws IOException {
        TrainConfig config = new ObjectMapper().readValue(runDir.resolve("config.json").toFile(), TrainConfig.class);
        Vocabulary vocab = Vocabulary.read(runDir.resolve("vocab.txt"));
        Dims dims = config.dims(vocab.size());
        List<Row> rows = new ArrayList<>();
        ModelBundle bundle = ModelBundle.load(bundlePath);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, config.seed());
                SentenceVae ort = SentenceVae.open(bundle, new SentenceVae.Options(0, 64))) {
            try (InputStream in = Files.newInputStream(runDir.resolve("best-params.ndl"))) {
                params.load(in);
            }
            DjlScorer djl = new DjlScorer(new VaeNetwork(params), root);
            List<int[]> sorted = new ArrayList<>(sentences);
            sorted.sort(java.util.Comparator.comparingInt(a -> a.length));
            for (String mode : new String[] {"1", "64", "64, length-sorted"}) {
                int batch = mode.equals("1") ? 1 : 64;
                List<int[]> input = mode.endsWith("sorted") ? sorted : sentences;
                for (VaeScorer engine : List.of(ort, djl)) {
                    String name = engine == ort ? "ONNX Runtime" : "DJL (PyTorch)";
                    log.printf("measuring %s, batch %s ...%n", name, mode);
                    rows.add(new Row("encode", name, mode, median(repeats, () -> encode(engine, input, batch)), "sentences/s"));
                    rows.add(new Row("score", name, mode, median(repeats, () -> score(engine, input, batch)), "sentences/s"));
                }
            }
            if (trainSteps > 0) {
                rows.add(trainRow("VAE", config, dims, root, sentences, trainSteps, log));
                TrainConfig lm = config.toBuilder().latentType(io.latentnlp.models.latent.LatentType.NONE).pretrainEpochs(0).annealSteps(0).freeBits(0)
                        .iwaeSamples(1).build();
                rows.add(trainRow("LSTM-LM", lm, new Dims(dims.vocab(), dims.embedding(), dims.hidden(), 0), root, sentences, trainSteps, log));
            }
        }
        return rows;
    }

    private static Row trainRow(String label, TrainConfig config, Dims dims, NDManager root, List<int[]> sentences, int steps, PrintStream log)
            throws IOException {
        Path tmp = Files.createTempDirectory("latent-nlp-bench");
        try (VaeParameters p = VaeParameters.initialize(root, dims, config.seed())) {
            TrainConfig c = config.toBuilder().epochs(1).pretrainEpochs(0).maxStepsPerEpoch(steps).evalSamples(1).build();
            VaeTrainer t = new VaeTrainer(c, p, tmp, false, new PrintStream(OutputStream.nullOutputStream()));
            double[] tps = new double[1];
            t.train(sentences, sentences.subList(0, Math.min(64, sentences.size())), r -> tps[0] = r.tokens() / r.seconds());
            log.printf("training %s: %.0f tokens/s%n", label, tps[0]);
            return new Row("train", label + " (DJL)", String.valueOf(c.batchSize()), tps[0], "tokens/s");
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double encode(VaeScorer engine, List<int[]> sentences, int batch) {
        long start = System.nanoTime();
        for (int from = 0; from < sentences.size(); from += batch) {
            engine.encode(sentences.subList(from, Math.min(sentences.size(), from + batch)));
        }
        return sentences.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double score(VaeScorer engine, List<int[]> sentences, int batch) {
        long elapsed = 0;
        for (int from = 0; from < sentences.size(); from += batch) {
            List<int[]> part = sentences.subList(from, Math.min(sentences.size(), from + batch));
            Posterior[] q = engine.encode(part);
            float[][] z = new float[q.length][];
            for (int i = 0; i < q.length; i++) {
                z[i] = q[i].code();
            }
            long start = System.nanoTime();
            engine.tokenLogProbs(part, z);
            elapsed += System.nanoTime() - start;
        }
        return sentences.size() / (elapsed / 1e9);
    }

    private static double median(int repeats, java.util.function.DoubleSupplier measure) {
        measure.getAsDouble(); // warm-up
        double[] v = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            v[i] = measure.getAsDouble();
        }
        Arrays.sort(v);
        return v[repeats / 2];
    }
}
