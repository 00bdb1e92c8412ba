package io.latentnlp.models.latent;

import io.latentnlp.models.bundle.OnnxContract;

/**
 * A posterior over discrete codes whose log-density is linear in z: log q(z|x) = offset + w . z
 * for every valid code z (0/1 bits, or one-hot blocks). Evaluation uses this to compute the
 * aggregate posterior of thousands of sentences quickly.
 */
public sealed interface DiscretePosterior extends Posterior permits BernoulliPosterior, CategoricalPosterior {

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
