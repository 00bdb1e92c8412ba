package io.latentnlp.models.latent;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * d independent categorical variables of K classes, q = softmax(logits of the group), uniform prior.
 *
 * @param logits d * K values, group-major (group g's classes at [g K, (g + 1) K))
 * @param categories K, at least 2
 */
public record CategoricalPosterior(float[] logits, int categories) implements DiscretePosterior {

    public CategoricalPosterior {
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
        return o instanceof CategoricalPosterior c && categories == c.categories && Arrays.equals(logits, c.logits);
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
