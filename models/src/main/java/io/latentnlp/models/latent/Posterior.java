package io.latentnlp.models.latent;

import io.latentnlp.models.bundle.OnnxContract;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The posterior q(z|x) of one sentence, for each {@link LatentType}: what evaluation, the
 * importance-weighted likelihood and hashing need, computed in double precision.
 *
 * <p>A code z is the float vector the decoder reads ({@link #codeDim()} wide): the Gaussian
 * sample itself, 0/1 per bit, or one one-hot block of K per categorical variable.
 */
public sealed interface Posterior permits Posterior.Gaussian, Posterior.Discrete {

    LatentType type();

    /** Number of latent variables d. */
    int dim();

    /** Width of a code z. */
    int codeDim();

    /** KL(q || p) in nats, closed form. */
    double kl();

    /** A draw z ~ q(z|x). */
    float[] sample(SplittableRandom rng);

    /** log q(z|x). */
    double logDensity(float[] z);

    /** log p(z) under the prior. */
    double logPrior(float[] z);

    /** E_q[log q(z|x)] (minus the entropy), closed form. */
    double negativeEntropy();

    /**
     * The code at the posterior: the mean (Gaussian), bits q_i &gt;= 1/2 (Bernoulli), the argmax
     * one-hot per group (categorical).
     */
    float[] code();

    /** E_q[z]: the mean, the bit probabilities, or the class probabilities. */
    float[] expectation();

    /**
     * What {@link #expectation()} is called in outputs: {@code mean} (Gaussian) or {@code
     * probabilities} (bits, classes).
     */
    String expectationName();

    /** Classes per latent variable K (categorical), 0 for the other types. */
    default int categories() {
        return 0;
    }

    /**
     * The posterior's parameters by their ONNX output names ({@link OnnxContract#MEAN} and {@link
     * OnnxContract#LOGVAR}, or {@link OnnxContract#LOGITS}), in that order; with {@link #type()}
     * and {@link #categories()} they rebuild it ({@link #fromParameters}). Serializers write these
     * instead of switching on the type. The arrays are the posterior's own: do not change them.
     */
    java.util.Map<String, float[]> parameters();

    /**
     * What a reader of an output wants to see: the Gaussian's {@code mean} and {@code logvar}, or
     * a discrete posterior's {@code probabilities} (its expectation), in that order.
     */
    java.util.Map<String, float[]> summary();

    /**
     * Rebuilds a posterior from its {@link #parameters()}, e.g. the outputs of an encoder graph
     * or a serialized annotation.
     *
     * @param categories K for categorical posteriors, ignored otherwise
     * @throws IllegalArgumentException when a parameter the type needs is missing
     */
    static Posterior fromParameters(LatentType type, int categories, java.util.function.Function<String, float[]> parameters) {
        java.util.function.Function<String, float[]> need = name -> {
            float[] v = parameters.apply(name);
            if (v == null) {
                throw new IllegalArgumentException("a " + type.label() + " posterior needs its '" + name + "' parameters");
            }
            return v;
        };
        return switch (type) {
            case GAUSSIAN -> new Gaussian(need.apply(OnnxContract.MEAN), need.apply(OnnxContract.LOGVAR));
            case BERNOULLI -> new Bernoulli(need.apply(OnnxContract.LOGITS));
            case CATEGORICAL -> new Categorical(need.apply(OnnxContract.LOGITS), categories);
            case NONE -> throw new IllegalArgumentException("a language model (latent type none) has no posterior");
        };
    }

    /**
     * A diagonal Gaussian posterior q(z|x) = N(mean, diag(exp(logvar))).
     *
     * @param mean the mean, length d
     * @param logvar the log-variance (natural log), length d
     */
    record Gaussian(float[] mean, float[] logvar) implements Posterior {

        public Gaussian {
            if (mean.length != logvar.length) {
                throw new IllegalArgumentException("mean has " + mean.length + " dimensions, logvar " + logvar.length);
            }
        }

        @Override
        public LatentType type() {
            return LatentType.GAUSSIAN;
        }

        @Override
        public int dim() {
            return mean.length;
        }

        @Override
        public int codeDim() {
            return mean.length;
        }

        /** Lecture: 1/2 (sigma^2 + mu^2 - 1 - log sigma^2)^T 1. */
        @Override
        public double kl() {
            return GaussianMath.kl(mean, logvar);
        }

        @Override
        public float[] sample(SplittableRandom rng) {
            return GaussianMath.sample(this, rng);
        }

        @Override
        public double logDensity(float[] z) {
            return GaussianMath.logNormal(z, mean, logvar);
        }

        @Override
        public double logPrior(float[] z) {
            return GaussianMath.logStandardNormal(z);
        }

        @Override
        public double negativeEntropy() {
            double s = 0;
            for (float lv : logvar) {
                s += lv;
            }
            return -0.5 * mean.length * GaussianMath.LOG_2PI - 0.5 * (mean.length + s);
        }

        @Override
        public float[] code() {
            return mean.clone();
        }

        @Override
        public float[] expectation() {
            return mean.clone();
        }

        @Override
        public String expectationName() {
            return OnnxContract.MEAN;
        }

        @Override
        public java.util.Map<String, float[]> parameters() {
            java.util.Map<String, float[]> p = new java.util.LinkedHashMap<>();
            p.put(OnnxContract.MEAN, mean);
            p.put(OnnxContract.LOGVAR, logvar);
            return java.util.Collections.unmodifiableMap(p);
        }

        @Override
        public java.util.Map<String, float[]> summary() {
            return parameters();
        }

        /** Equal when the means and log-variances are, element for element. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Gaussian g && Arrays.equals(mean, g.mean) && Arrays.equals(logvar, g.logvar);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(logvar);
        }

        @Override
        public String toString() {
            return "Gaussian[mean=" + Arrays.toString(mean) + ", logvar=" + Arrays.toString(logvar) + "]";
        }
    }

    /**
     * A posterior over discrete codes whose log-density is linear in z: log q(z|x) = offset + w . z
     * for every valid code z (0/1 bits, or one-hot blocks). Evaluation uses this to compute the
     * aggregate posterior of thousands of sentences quickly.
     */
    sealed interface Discrete extends Posterior permits Bernoulli, Categorical {

        /** The weights w of {@code log q(z|x) = offset + w . z}, {@link #codeDim()} long. */
        double[] logDensityWeights();

        /** The offset of {@code log q(z|x) = offset + w . z}. */
        double logDensityOffset();

        /** The logits: one per bit, or d * K group-major. */
        float[] logits();

        @Override
        default String expectationName() {
            return "probabilities";
        }

        @Override
        default java.util.Map<String, float[]> parameters() {
            return java.util.Map.of(OnnxContract.LOGITS, logits());
        }

        @Override
        default java.util.Map<String, float[]> summary() {
            return java.util.Map.of(expectationName(), expectation());
        }

        @Override
        default double logDensity(float[] z) {
            double[] w = logDensityWeights();
            if (z.length != w.length) {
                throw new IllegalArgumentException("code has " + z.length + " entries, the posterior " + w.length);
            }
            double s = logDensityOffset();
            for (int i = 0; i < w.length; i++) {
                s += w[i] * z[i];
            }
            return s;
        }
    }

    /**
     * d independent bits, q(z_i = 1 | x) = sigmoid(logits_i), prior Bernoulli(1/2).
     *
     * @param logits one per bit
     */
    record Bernoulli(float[] logits) implements Discrete {

        @Override
        public LatentType type() {
            return LatentType.BERNOULLI;
        }

        @Override
        public int dim() {
            return logits.length;
        }

        @Override
        public int codeDim() {
            return logits.length;
        }

        /** q(z_i = 1 | x). */
        public double probability(int i) {
            return DiscreteMath.sigmoid(logits[i]);
        }

        /** sum_i q_i log(2 q_i) + (1 - q_i) log(2 (1 - q_i)). */
        @Override
        public double kl() {
            double s = 0;
            for (float l : logits) {
                s += DiscreteMath.bernoulliKl(l);
            }
            return s;
        }

        @Override
        public float[] sample(SplittableRandom rng) {
            float[] z = new float[logits.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = rng.nextDouble() < probability(i) ? 1f : 0f;
            }
            return z;
        }

        /** log q(z) = sum_i z_i l_i + log sigmoid(-l_i), since log sigmoid(l) - log sigmoid(-l) = l. */
        @Override
        public double[] logDensityWeights() {
            double[] w = new double[logits.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = logits[i];
            }
            return w;
        }

        @Override
        public double logDensityOffset() {
            double s = 0;
            for (float l : logits) {
                s += DiscreteMath.logSigmoid(-l);
            }
            return s;
        }

        @Override
        public double logPrior(float[] z) {
            return -z.length * Math.log(2);
        }

        @Override
        public double negativeEntropy() {
            return kl() - logits.length * Math.log(2);
        }

        @Override
        public float[] code() {
            float[] z = new float[logits.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = logits[i] >= 0 ? 1f : 0f;
            }
            return z;
        }

        @Override
        public float[] expectation() {
            float[] p = new float[logits.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) probability(i);
            }
            return p;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bernoulli b && Arrays.equals(logits, b.logits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(logits);
        }

        @Override
        public String toString() {
            return "Bernoulli" + Arrays.toString(logits);
        }
    }

    /**
     * d independent categorical variables of K classes, q = softmax(logits of the group), uniform prior.
     *
     * @param logits d * K values, group-major (group g's classes at [g K, (g + 1) K))
     * @param categories K, at least 2
     */
    record Categorical(float[] logits, int categories) implements Discrete {

        public Categorical {
            if (categories < 2 || logits.length % categories != 0) {
                throw new IllegalArgumentException(logits.length + " logits do not form groups of " + categories + " categories");
            }
        }

        @Override
        public LatentType type() {
            return LatentType.CATEGORICAL;
        }

        @Override
        public int dim() {
            return logits.length / categories;
        }

        @Override
        public int codeDim() {
            return logits.length;
        }

        /** Per group, log softmax of its logits: d * K values. */
        public double[] logProbabilities() {
            double[] out = new double[logits.length];
            for (int g = 0; g < dim(); g++) {
                DiscreteMath.logSoftmax(logits, g * categories, categories, out);
            }
            return out;
        }

        /** The argmax class of each group (lowest index on ties). */
        public int[] argmax() {
            int[] out = new int[dim()];
            for (int g = 0; g < out.length; g++) {
                int best = 0;
                for (int k = 1; k < categories; k++) {
                    if (logits[g * categories + k] > logits[g * categories + best]) {
                        best = k;
                    }
                }
                out[g] = best;
            }
            return out;
        }

        /** sum_g sum_k q_gk log(K q_gk). */
        @Override
        public double kl() {
            double[] lp = logProbabilities();
            double s = dim() * Math.log(categories);
            for (double v : lp) {
                s += Math.exp(v) * v;
            }
            return s;
        }

        /** Exact sampling by inversion of each group's cumulative probabilities. */
        @Override
        public float[] sample(SplittableRandom rng) {
            double[] lp = logProbabilities();
            float[] z = new float[logits.length];
            for (int g = 0; g < dim(); g++) {
                double u = rng.nextDouble();
                int pick = categories - 1;
                double cum = 0;
                for (int k = 0; k < categories; k++) {
                    cum += Math.exp(lp[g * categories + k]);
                    if (u < cum) {
                        pick = k;
                        break;
                    }
                }
                z[g * categories + pick] = 1f;
            }
            return z;
        }

        @Override
        public double[] logDensityWeights() {
            return logProbabilities();
        }

        @Override
        public double logDensityOffset() {
            return 0;
        }

        @Override
        public double logPrior(float[] z) {
            return -dim() * Math.log(categories);
        }

        @Override
        public double negativeEntropy() {
            return kl() - dim() * Math.log(categories);
        }

        @Override
        public float[] code() {
            float[] z = new float[logits.length];
            int[] a = argmax();
            for (int g = 0; g < a.length; g++) {
                z[g * categories + a[g]] = 1f;
            }
            return z;
        }

        @Override
        public float[] expectation() {
            double[] lp = logProbabilities();
            float[] p = new float[lp.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.exp(lp[i]);
            }
            return p;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Categorical c && categories == c.categories && Arrays.equals(logits, c.logits);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(logits) + categories;
        }

        @Override
        public String toString() {
            return "Categorical(K=" + categories + ")" + Arrays.toString(logits);
        }
    }
}
