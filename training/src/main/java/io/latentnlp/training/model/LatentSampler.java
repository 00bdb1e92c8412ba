package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Training-time sampling of codes from q(z|x) with a gradient path to the encoder, and the
 * closed-form KL per latent variable, for every latent family:
 *
 * <ul>
 *   <li>Gaussian: z = mu + eps sigma (reparameterization); KL to N(0, I).
 *   <li>Bernoulli: straight-through, exactly as the lecture writes it: a sample z ~ Bernoulli(q)
 *       goes forward, z~ = q + (z - q).detach(), so the gradient with respect to z~ reaches q
 *       unchanged; KL to Bernoulli(1/2) per bit.
 *   <li>Categorical: Gumbel-softmax with temperature tau, relaxed or straight-through ({@link
 *       CategoricalEstimator}); KL to the uniform distribution per group.
 * </ul>
 *
 * Noise comes from the caller's Java generator, so a step is reproducible. Immutable.
 *
 * @param dims the model's sizes and latent family
 * @param estimator categorical estimator (ignored for other families)
 * @param tau Gumbel-softmax temperature at this step (ignored for other families)
 */
public record LatentSampler(Dims dims, CategoricalEstimator estimator, double tau) {

    public LatentSampler {
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("illegal Gumbel-softmax temperature " + tau + ": must be positive and finite");
        }
    }

    /** A sampler for Gaussian and Bernoulli models (no categorical settings). */
    public static LatentSampler of(Dims dims) {
        return new LatentSampler(dims, CategoricalEstimator.GUMBEL_SOFTMAX, 1.0);
    }

    /** KL(q(z_i|x) || p(z_i)) per latent variable: [B, d]. */
    public NDArray klPerDimension(NDList q) {
        return switch (dims.type()) {
            case GAUSSIAN -> Objective.klPerDimension(q.get(0), q.get(1));
            case BERNOULLI -> bernoulliKl(q.get(0));
            case CATEGORICAL -> categoricalKl(q.get(0), dims.categories());
            case NONE -> throw new IllegalStateException("the baseline has no latent variable");
        };
    }

    /** A code for the decoder, [B, c], differentiable with respect to the encoder's outputs. */
    public NDArray sample(NDManager m, NDList q, SplittableRandom rng) {
        return switch (dims.type()) {
            case GAUSSIAN -> Objective.reparameterize(q.get(0), q.get(1), Objective.gaussianNoise(m, q.get(0).getShape(), rng));
            case BERNOULLI -> straightThroughBernoulli(q.get(0), uniform(m, q.get(0).getShape(), rng));
            case CATEGORICAL -> gumbelSoftmax(q.get(0), gumbel(m, q.get(0).getShape(), rng));
            case NONE -> throw new IllegalStateException("the baseline has no latent variable");
        };
    }

    /** KL(Bernoulli(sigmoid(l)) || Bernoulli(1/2)) = q log sigmoid(l) + (1 - q) log sigmoid(-l) + log 2, [B, d]. */
    public static NDArray bernoulliKl(NDArray logits) {
        NDArray q = logits.getNDArrayInternal().sigmoid();
        NDArray logQ1 = logSigmoid(logits);
        NDArray logQ0 = logSigmoid(logits.neg());
        return q.mul(logQ1).add(q.neg().add(1f).mul(logQ0)).add((float) Math.log(2));
    }

    /** log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)), stable for large |x|. */
    public static NDArray logSigmoid(NDArray x) {
        return x.minimum(0f).sub(x.abs().neg().exp().add(1f).log());
    }

    /** sum_k q_k log(K q_k) per group of K logits: [B, d] from [B, d K]. */
    public static NDArray categoricalKl(NDArray logits, int k) {
        Shape s = logits.getShape();
        NDArray lp = logits.reshape(s.get(0), s.get(1) / k, k).logSoftmax(2);
        return lp.exp().mul(lp).sum(new int[] {2}).add((float) Math.log(k));
    }

    /**
     * The straight-through estimator: forward the hard sample 1[u &lt; q], backward to q.
     *
     * @param u uniforms in [0, 1), same shape as the logits
     */
    public static NDArray straightThroughBernoulli(NDArray logits, NDArray u) {
        return straightThrough(logits.getNDArrayInternal().sigmoid(), u);
    }

    /**
     * z~ = q + (z - q).detach() with z = 1[u &lt; q]: the value is the hard sample z, the gradient
     * with respect to q is the gradient with respect to z~ (the lecture's straight-through).
     */
    public static NDArray straightThrough(NDArray q, NDArray u) {
        NDArray hard = u.lt(q.stopGradient()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return q.add(hard.sub(q).stopGradient());
    }

    /**
     * Gumbel-softmax per group: y = softmax((logits + g) / tau); with {@link
     * CategoricalEstimator#STRAIGHT_THROUGH_GUMBEL}, the one-hot argmax of logits + g forward and y's
     * gradient backward. Shapes [B, d K].
     */
    public NDArray gumbelSoftmax(NDArray logits, NDArray g) {
        Shape s = logits.getShape();
        int k = dims.categories();
        NDArray perturbed = logits.add(g).reshape(s.get(0), s.get(1) / k, k);
        NDArray y = perturbed.div((float) tau).softmax(2);
        if (estimator == CategoricalEstimator.GUMBEL_SOFTMAX) {
            return y.reshape(s);
        }
        NDArray hard = oneHotArgmax(perturbed.stopGradient(), k);
        return y.add(hard.sub(y).stopGradient()).reshape(s);
    }

    /** One-hot of the argmax over the last axis (lowest index on ties), same shape. */
    static NDArray oneHotArgmax(NDArray x, int k) {
        float[] v = x.toFloatArray();
        float[] out = new float[v.length];
        for (int from = 0; from < v.length; from += k) {
            int best = from;
            for (int i = from + 1; i < from + k; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            out[best] = 1f;
        }
        return x.getManager().create(out, x.getShape());
    }

    /** U[0, 1) draws of a shape from a Java generator. */
    public static NDArray uniform(NDManager m, Shape shape, SplittableRandom rng) {
        float[] u = new float[(int) shape.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) rng.nextDouble();
        }
        return m.create(u, shape);
    }

    /** Gumbel(0, 1) draws g = -log(-log u), u in (0, 1), from a Java generator. */
    public static NDArray gumbel(NDManager m, Shape shape, SplittableRandom rng) {
        float[] g = new float[(int) shape.size()];
        for (int i = 0; i < g.length; i++) {
            double u = rng.nextDouble();
            while (u == 0) {
                u = rng.nextDouble();
            }
            g[i] = (float) -Math.log(-Math.log(u));
        }
        return m.create(g, shape);
    }
}
