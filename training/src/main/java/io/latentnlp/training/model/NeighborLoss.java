package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A neighbourhood-preserving loss on the relaxed bits of the posterior mean (issue 24, item 4):
 * the code's similarities within a large batch of training sentences are trained to rank
 * neighbours as the frozen backbone does, so the sign bits of the mean are a hash fitted for
 * retrieval, not a rotation of principal directions (ITQ).
 *
 * <p>Each step draws {@link Settings#batch()} training sentences at random (they need only the
 * encoder head, not the decoder, so the batch can be much larger than the ELBO's). With {@code u}
 * the backbone embeddings, centred on the training mean and scaled to unit length, the target
 * distribution over the batch is {@code P_ij = softmax_j(u_i . u_j / tauT)}; with the relaxed bits
 * {@code h = tanh(mu / s)} of the posterior means, the code's is {@code Q_ij = softmax_j(h_i .
 * h_j / (d tauC))}, both over {@code j != i}. The loss is the batch mean of the cross-entropy
 * {@code -sum_j P_ij log Q_ij} (the KL from P to Q plus P's entropy, a constant) plus {@code
 * quantization} times the mean of {@code (|h| - 1)^2}, which pushes the relaxed bits towards the
 * signs the hash takes, all times {@code weight}. This is relational distillation of the
 * backbone's neighbourhoods (the soft-kNN targets of SSDH/DistillHash-style unsupervised hashing)
 * into the code; it shapes only the mean, so the ELBO and the decoder's likelihood stay as they are.
 *
 * <p>The hash of a model trained with it is the sign of each mean dimension against its training
 * median (the export's median-threshold spec), one bit per latent dimension.
 */
public final class NeighborLoss {

    /**
     * @param weight the loss's weight against the ELBO (nats per sentence); must be positive
     * @param batch sentences drawn per step (at least 2)
     * @param targetTemperature tauT of the backbone's similarities (smaller: only the nearest count)
     * @param codeTemperature tauC of the code's normalized similarities (in [-1, 1])
     * @param scale s of the relaxed bits tanh(mu / s): posterior means of about +-s are settled bits
     * @param quantization weight of (|h| - 1)^2, 0 = none
     */
    public record Settings(double weight, int batch, double targetTemperature, double codeTemperature, double scale, double quantization) {

        /** The defaults of the CLI (measured: docs/results.md, "A neighbourhood-preserving hash"). */
        public static final int DEFAULT_BATCH = 1024;
        public static final double DEFAULT_TARGET_TEMPERATURE = 0.05;
        public static final double DEFAULT_CODE_TEMPERATURE = 0.1;
        public static final double DEFAULT_SCALE = 0.5;
        public static final double DEFAULT_QUANTIZATION = 0.1;

        public Settings {
            positive("neighbor loss weight", weight);
            positive("neighbor target temperature", targetTemperature);
            positive("neighbor code temperature", codeTemperature);
            positive("neighbor scale", scale);
            if (!(quantization >= 0 && Double.isFinite(quantization))) {
                throw new IllegalArgumentException("illegal neighbor quantization weight " + quantization + ": must be a finite value >= 0");
            }
            if (batch < 2) {
                throw new IllegalArgumentException("illegal neighbor batch " + batch + ": must be at least 2 sentences");
            }
        }

        /** The settings with the CLI's defaults and {@code weight}. */
        public static Settings withWeight(double weight) {
            return new Settings(weight, DEFAULT_BATCH, DEFAULT_TARGET_TEMPERATURE, DEFAULT_CODE_TEMPERATURE, DEFAULT_SCALE, DEFAULT_QUANTIZATION);
        }

        private static void positive(String what, double v) {
            if (!(v > 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException("illegal " + what + " " + v + ": must be a positive finite value");
            }
        }
    }

    private final Settings settings;
    private final float[][] features;
    private final float[][] unit;

    /**
     * @param settings the loss's settings
     * @param features the training sentences' backbone embeddings (the rows the head reads), at least 2
     */
    public NeighborLoss(Settings settings, List<float[]> features) {
        if (features.size() < 2) {
            throw new IllegalArgumentException("the neighbor loss needs at least 2 training sentences, got " + features.size());
        }
        this.settings = settings;
        this.features = features.toArray(new float[0][]);
        int f = this.features[0].length;
        double[] mean = new double[f];
        for (float[] row : this.features) {
            for (int j = 0; j < f; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= this.features.length;
        }
        this.unit = new float[this.features.length][f];
        for (int i = 0; i < this.features.length; i++) {
            double norm = 0;
            for (int j = 0; j < f; j++) {
                double c = this.features[i][j] - mean[j];
                unit[i][j] = (float) c;
                norm += c * c;
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int j = 0; j < f; j++) {
                unit[i][j] *= inv;
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The weighted loss of one step's random batch, a scalar with gradients into the encoder head.
     *
     * @param head the posterior means of feature rows [N, F] -&gt; [N, d]
     */
    public NDArray loss(NDManager m, java.util.function.Function<NDArray, NDArray> head, SplittableRandom rng) {
        int n = settings.batch();
        int f = features[0].length;
        float[] x = new float[n * f];
        float[] u = new float[n * f];
        for (int i = 0; i < n; i++) {
            int r = rng.nextInt(features.length);
            System.arraycopy(features[r], 0, x, i * f, f);
            System.arraycopy(unit[r], 0, u, i * f, f);
        }
        NDArray mask = m.eye(n).mul(-1e4f);
        NDArray un = m.create(u, new Shape(n, f));
        NDArray target = un.matMul(un.transpose()).div((float) settings.targetTemperature()).add(mask).softmax(1).stopGradient();
        NDArray mean = head.apply(m.create(x, new Shape(n, f)));
        int d = (int) mean.getShape().get(1);
        NDArray h = mean.div((float) settings.scale()).tanh();
        NDArray logQ = h.matMul(h.transpose()).div((float) (d * settings.codeTemperature())).add(mask).logSoftmax(1);
        NDArray loss = target.mul(logQ).sum(new int[] {1}).mean().neg();
        if (settings.quantization() > 0) {
            loss = loss.add(h.abs().sub(1f).square().mean().mul((float) settings.quantization()));
        }
        return loss.mul((float) settings.weight());
    }
}
