package io.latentnlp.models.latent;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * d independent bits, q(z_i = 1 | x) = sigmoid(logits_i), prior Bernoulli(1/2).
 *
 * @param logits one per bit
 */
public record BernoulliPosterior(float[] logits) implements DiscretePosterior {

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
        return o instanceof BernoulliPosterior b && Arrays.equals(logits, b.logits);
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
