package io.latentnlp.training.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.model.AdamState;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.LatentSampler;
import io.latentnlp.training.model.Objective;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where a training step's time goes, on real batches of a run's corpus (issue 14, item 3).
 *
 * <p>Each step of {@link io.latentnlp.training.VaeTrainer} is cut into four timed stages: building
 * the batch's arrays, the forward pass (the objective), the backward pass, and the update
 * (gradient norms and Adam). The model's parts are then priced by variants of the same step: the
 * same model with a tiny output vocabulary (what the vocabulary projection and softmax cost), the
 * language model of the same size (what the encoder, z and the bag-of-words head cost), and a
 * model of minimal size (what DJL's per-operation overhead costs, whatever the sizes). Every
 * variant runs the same batches in one process, after warm-up steps; the pretrained family's
 * backbone features are random (their values do not change the cost). Not a test: a
 * measurement for {@code docs/benchmarks.md}.
 */
public final class StepProfile {

    /** Mean milliseconds per step of each stage, and the tokens per second of the whole step. */
    public record Row(String variant, double batchMs, double forwardMs, double backwardMs, double updateMs, double tokensPerSecond) {
        public double stepMs() {
            return batchMs + forwardMs + backwardMs + updateMs;
        }
    }

    /** The negatives of the sampled-softmax variant. */
    static final int SAMPLED_NEGATIVES = 1024;

    private StepProfile() {}

    /**
     * @param config the run's settings (sizes, latent, encoder family, bag-of-words weight)
     * @param vocabSize its vocabulary size
     * @param sentences id arrays of the corpus (ending in {@code </s>})
     * @param steps measured steps per variant (after {@code steps / 5 + 1} warm-up steps)
     */
    public static List<Row> run(TrainConfig config, int vocabSize, List<int[]> sentences, int steps, PrintStream log) {
        Map<String, TrainConfig> variants = new LinkedHashMap<>();
        variants.put("as trained", config);
        if (config.hasLatent()) {
            variants.put("language model, same sizes", config.toBuilder().latentType(LatentType.NONE).encoder(null).backbone(null).bowWeight(0)
                    .pretrainEpochs(0).annealSteps(0).freeBits(0).iwaeSamples(1).initDecoder(null).alignWeight(0).decoder(TrainConfig.LSTM_DECODER).build());
        }
        if (config.sampledSoftmax() == 0 && !config.bowDecoder() && vocabSize > 2 * SAMPLED_NEGATIVES) {
            variants.put("sampled softmax, " + SAMPLED_NEGATIVES + " negatives", config.toBuilder().sampledSoftmax(SAMPLED_NEGATIVES).build());
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, TrainConfig> v : variants.entrySet()) {
            rows.add(measure(v.getKey(), v.getValue(), vocabSize, sentences, steps, log));
        }
        // The same model with 50 output units: the difference is the vocabulary projection and softmax (and the BoW head).
        rows.add(measure("vocabulary of 50 (ids folded)", config, 50, fold(sentences, 50), steps, log));
        TrainConfig tiny = config.toBuilder().embeddingDim(8).hiddenDim(TrainConfig.MIN_HIDDEN).latentDim(Math.min(2, config.latentDim())).build();
        rows.add(measure("minimal sizes (DJL overhead)", tiny, 50, fold(sentences, 50), steps, log));
        return rows;
    }

    private static List<int[]> fold(List<int[]> sentences, int vocab) {
        List<int[]> out = new ArrayList<>(sentences.size());
        for (int[] s : sentences) {
            int[] f = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                f[i] = s[i] < 4 ? s[i] : 4 + s[i] % (vocab - 4);
            }
            out.add(f);
        }
        return out;
    }

    private static Row measure(String label, TrainConfig config, int vocabSize, List<int[]> sentences, int steps, PrintStream log) {
        Dims dims = config.dims(vocabSize);
        List<List<int[]>> batches = io.latentnlp.training.VaeTrainer.bucketedBatches(sentences, config.batchSize(), config.seed());
        int warmup = steps / 5 + 1;
        if (batches.size() < steps + warmup) {
            throw new IllegalArgumentException("the corpus gives " + batches.size() + " batches of " + config.batchSize() + "; the profile needs "
                    + (steps + warmup) + " (" + warmup + " warm-up): use more sentences or fewer steps");
        }
        FeatureTable features = null;
        if (dims.pretrained()) {
            features = new FeatureTable(dims.features());
            SplittableRandom rng = new SplittableRandom(config.seed());
            float[][] f = new float[sentences.size()][dims.features()];
            for (float[] row : f) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (rng.nextDouble() - 0.5);
                }
            }
            features.putAll(sentences, f);
        }
        long[] ns = new long[4];
        long tokens = 0;
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, config.seed());
                AdamState adam = new AdamState(params)) {
            VaeNetwork net = new VaeNetwork(params, features);
            net.sampledSoftmax(config.sampledSoftmax());
            LatentSampler sampler = dims.hasLatent() ? new LatentSampler(dims, config.estimator(), config.tau()) : null;
            for (int step = 0; step < warmup + steps; step++) {
                boolean timed = step >= warmup;
                SplittableRandom rng = Seeds.stream(config.seed(), 0, step);
                long t0 = System.nanoTime();
                Batch batch = Batch.of(batches.get(step)).withWordDropout(config.wordDropout(), rng);
                try (NDManager m = root.newSubManager()) {
                    batch.tokensArray(m);
                    batch.decoderInputArray(m);
                    batch.mask(m);
                    long t1 = System.nanoTime();
                    long t2;
                    long t3;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        Objective.Result r = dims.hasLatent()
                                ? Objective.negativeElbo(m, net, batch, sampler, 1.0, config.freeBits(), config.dropout(), config.bowWeight(), rng)
                                : Objective.negativeElbo(m, net, batch, null, 0, 0, config.dropout(), 0, rng);
                        r.loss().getFloat(); // forces the forward pass to finish
                        t2 = System.nanoTime();
                        collector.backward(r.loss());
                        t3 = System.nanoTime();
                    }
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
                        NDArray g = e.getValue().getGradient();
                        g.attach(m);
                        g.norm().getFloat();
                        grads.put(e.getKey(), g);
                    }
                    adam.update(grads, config.learningRate(), 1.0);
                    long t4 = System.nanoTime();
                    if (timed) {
                        ns[0] += t1 - t0;
                        ns[1] += t2 - t1;
                        ns[2] += t3 - t2;
                        ns[3] += t4 - t3;
                        tokens += batch.tokenCount();
                    }
                }
            }
        }
        Row row = new Row(label, ns[0] / 1e6 / steps, ns[1] / 1e6 / steps, ns[2] / 1e6 / steps, ns[3] / 1e6 / steps,
                tokens / (Arrays.stream(ns).sum() / 1e9));
        log.printf("%s: %.1f ms per step, %.0f tokens/s%n", label, row.stepMs(), row.tokensPerSecond());
        return row;
    }
}
