package io.latentnlp.models.latent;

import io.latentnlp.models.bundle.OnnxContract;
import java.util.SplittableRandom;

/**
 * The posterior q(z|x) of one sentence, for each {@link LatentType}: what evaluation, the
 * importance-weighted likelihood and hashing need, computed in double precision.
 *
 * <p>A code z is the float vector the decoder reads ({@link #codeDim()} wide): the Gaussian
 * sample itself, 0/1 per bit, or one one-hot block of K per categorical variable.
 *
 * <p>One record per family: {@link GaussianPosterior}, and the two {@link DiscretePosterior}s
 * {@link BernoulliPosterior} and {@link CategoricalPosterior}. Callers that serialize or print a
 * posterior use {@link #parameters()}, {@link #summary()} and {@link #fromParameters} rather than
 * switching on the family.
 */
public sealed interface Posterior permits GaussianPosterior, DiscretePosterior {

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
            case GAUSSIAN -> new GaussianPosterior(need.apply(OnnxContract.MEAN), need.apply(OnnxContract.LOGVAR));
            case BERNOULLI -> new BernoulliPosterior(need.apply(OnnxContract.LOGITS));
            case CATEGORICAL -> new CategoricalPosterior(need.apply(OnnxContract.LOGITS), categories);
            case NONE -> throw new IllegalArgumentException("a language model (latent type none) has no posterior");
        };
    }
}
