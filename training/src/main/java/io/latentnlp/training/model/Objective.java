package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.latent.GaussianMath;
import java.util.SplittableRandom;

/**
 * Training objectives of the lecture, as losses to minimize (nats per sentence, batch mean).
 *
 * <ul>
 *   <li>negative ELBO with KL weight beta: E_q[-log p(x|z)] + beta KL(q(z|x) || p(z)), one
 *       sample of z from {@link LatentSampler} (reparameterized, straight-through or Gumbel-softmax);
 *   <li>free bits, per dimension: the KL term becomes sum_i max(lambda, KL_i) with KL_i the
 *       batch mean of dimension i's KL, so dimensions below lambda get no KL gradient;
 *   <li>IWAE: -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)) with K reparameterized samples.
 * </ul>
 */
public final class Objective {

    /**
     * The parts of one step's loss.
     *
     * @param loss the scalar to minimize
     * @param reconstruction batch mean of -log p(x|z) (detached value)
     * @param kl batch mean of the true KL (not the free-bits surrogate)
     */
    public record Result(NDArray loss, double reconstruction, double kl) {}

    private Objective() {}

    /** Per-dimension KL of N(mu, exp(logvar)) from N(0, 1): 1/2 (exp(lv) + mu^2 - 1 - lv), [B, d]. */
    public static NDArray klPerDimension(NDArray mean, NDArray logvar) {
        return logvar.exp().add(mean.square()).sub(1f).sub(logvar).mul(0.5f);
    }

    /** The KL penalty: batch mean of the summed KL, or with free bits sum_i max(lambda, mean_b KL_bi). */
    public static NDArray klPenalty(NDArray klPerDim, double freeBits) {
        if (freeBits > 0) {
            return klPerDim.mean(new int[] {0}).maximum((float) freeBits).sum();
        }
        return klPerDim.sum(new int[] {1}).mean();
    }

    /** Draws eps ~ N(0, I) of the given shape from a Java generator (reproducible). */
    public static NDArray gaussianNoise(NDManager m, Shape shape, SplittableRandom rng) {
        float[] eps = new float[(int) shape.size()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) GaussianMath.gaussian(rng);
        }
        return m.create(eps, shape);
    }

    /** z = mu + eps * exp(logvar / 2) (the reparameterization trick). */
    public static NDArray reparameterize(NDArray mean, NDArray logvar, NDArray eps) {
        return eps.mul(logvar.mul(0.5f).exp()).add(mean);
    }

    /** Negative ELBO of a Gaussian model (see {@link #negativeElbo(NDManager, VaeNetwork, Batch, LatentSampler, double, double, double, SplittableRandom)}). */
    public static Result negativeElbo(NDManager m, VaeNetwork net, Batch batch, double beta, double freeBits, double dropout, SplittableRandom rng) {
        return negativeElbo(m, net, batch, LatentSampler.of(net.dims()), beta, freeBits, dropout, rng);
    }

    /**
     * Negative ELBO with weight beta (and free bits when lambda &gt; 0) for any latent family, one
     * code sampled by {@code sampler}; for the baseline, the NLL. Free bits apply per latent
     * variable (a Gaussian dimension, a bit, a categorical group).
     */
    public static Result negativeElbo(NDManager m, VaeNetwork net, Batch batch, LatentSampler sampler, double beta, double freeBits, double dropout,
            SplittableRandom rng) {
        return negativeElbo(m, net, batch, sampler, beta, freeBits, dropout, 0, rng);
    }

    /**
     * As above, plus {@code bowWeight} times the bag-of-words loss of the sampled code ({@link
     * VaeNetwork#bagOfWordsNll}; Zhao et al. 2017) when the model has a bag-of-words head. The
     * reported reconstruction stays the decoder's alone.
     */
    public static Result negativeElbo(NDManager m, VaeNetwork net, Batch batch, LatentSampler sampler, double beta, double freeBits, double dropout,
            double bowWeight, SplittableRandom rng) {
        if (!net.dims().hasLatent()) {
            NDArray rec = net.decodeTraining(m, batch, null, dropout, rng).sum(new int[] {1}).neg().mean();
            return new Result(rec, rec.getFloat(), 0);
        }
        NDList q = net.encode(m, batch);
        NDArray z = sampler.sample(m, q, rng);
        NDArray rec = net.decodeTraining(m, batch, z, dropout, rng).sum(new int[] {1}).neg().mean();
        NDArray klDim = sampler.klPerDimension(q);
        double kl = klDim.sum(new int[] {1}).mean().getFloat();
        NDArray loss = beta == 0 ? rec : rec.add(klPenalty(klDim, freeBits).mul((float) beta));
        loss = addMeanLosses(m, net, batch, q.get(0), loss, rng);
        if (bowWeight > 0) {
            if (!net.dims().bow()) {
                throw new IllegalArgumentException("bag-of-words weight " + bowWeight + " but the model has no bag-of-words head");
            }
            loss = loss.add(net.bagOfWordsNll(m, batch, z).mean().mul((float) bowWeight));
        }
        return new Result(loss, rec.getFloat(), kl);
    }

    /**
     * The IWAE loss with K samples per sentence (Burda et al. 2016); Gaussian latents only. With
     * alignment ({@link VaeNetwork#align}) its loss of the posterior means is added, as to the ELBO.
     */
    public static Result negativeIwae(NDManager m, VaeNetwork net, Batch batch, int k, double dropout, SplittableRandom rng) {
        if (net.dims().type() != io.latentnlp.models.latent.LatentType.GAUSSIAN) {
            throw new IllegalArgumentException("the IWAE training objective needs reparameterized Gaussian samples, not a " + net.dims().type().label() + " latent");
        }
        int b = batch.batch();
        int d = net.dims().latent();
        NDList q = net.encode(m, batch);
        NDArray mean = q.get(0).expandDims(0).broadcast(new Shape(k, b, d));
        NDArray logvar = q.get(1).expandDims(0).broadcast(new Shape(k, b, d));
        NDArray eps = gaussianNoise(m, new Shape(k, b, d), rng);
        NDArray z = reparameterize(mean, logvar, eps);
        NDArray logpx = net.decodeTraining(m, batch.repeat(k), z.reshape(k * b, d), dropout, rng).sum(new int[] {1}).reshape(k, b);
        // log p(z) - log q(z|x) with z = mu + eps sigma: -1/2 (|z|^2 - |eps|^2 - sum logvar).
        NDArray logRatio = z.square().sum(new int[] {2}).sub(eps.square().sum(new int[] {2})).sub(logvar.sum(new int[] {2})).mul(-0.5f);
        NDArray logw = logpx.add(logRatio);
        NDArray max = logw.max(new int[] {0}, true).stopGradient();
        NDArray lse = logw.sub(max).exp().sum(new int[] {0}).log().add(max.squeeze(0)).sub((float) Math.log(k));
        NDArray loss = lse.neg().mean();
        loss = addMeanLosses(m, net, batch, q.get(0), loss, rng);
        double rec = logpx.mean().neg().getFloat();
        double kl = klPerDimension(q.get(0), q.get(1)).sum(new int[] {1}).mean().getFloat();
        return new Result(loss, rec, kl);
    }

    /** {@code loss} plus the network's losses of the posterior means: alignment and the neighbourhood loss, where set. */
    private static NDArray addMeanLosses(NDManager m, VaeNetwork net, Batch batch, NDArray mean, NDArray loss, SplittableRandom rng) {
        NDArray align = net.alignmentLoss(m, batch, mean);
        if (align != null) {
            loss = loss.add(align);
        }
        NDArray neighbors = net.neighborLoss(m, rng);
        return neighbors == null ? loss : loss.add(neighbors);
    }
}
