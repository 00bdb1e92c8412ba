package io.latentnlp.models.runtime;

import io.latentnlp.models.latent.GaussianMath;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.latent.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Monte Carlo likelihood estimates for any {@link VaeScorer}.
 *
 * <p>The importance-weighted estimate (Burda et al. 2016; the lecture's "Quantities to monitor",
 * item 1): draw z_1..z_K from q(z|x) and return log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)),
 * computed with log-sum-exp. For discrete latents the samples are exact discrete codes and log
 * q(z_k|x) is their exact log-probability, so the estimate is a bound on log p(x) for every type. K = 1 is a single-sample ELBO; the estimate's expectation rises with
 * K towards log p(x).
 *
 * <p>Noise is drawn from a generator seeded by {@code seed} and the sentence's ids, so a sentence
 * gets the same estimate whatever batch it is in. Stateless; as thread-safe as the scorer.
 */
public final class LikelihoodEstimator {

    /** Rows (sentence x sample pairs) sent to the scorer in one call. */
    private static final int MAX_ROWS = 2048;

    private LikelihoodEstimator() {}

    /** The generator for one sentence: reproducible from the seed and the sentence alone. */
    public static SplittableRandom rngFor(long seed, int[] ids) {
        return Seeds.stream(seed, Arrays.hashCode(ids), ids.length);
    }

    /**
     * IWAE estimates of log p(x), in nats, one per sentence.
     *
     * @param posteriors q(z|x) of each sentence (from {@link VaeScorer#encode})
     * @param k importance samples per sentence, at least 1
     */
    public static double[] logMarginal(VaeScorer model, List<int[]> sentences, Posterior[] posteriors, int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("illegal number of importance samples " + k + ": must be at least 1");
        }
        double[] out = new double[sentences.size()];
        if (model.latentDim() == 0) {
            // No latent variable: p(x) is exact, one decoder pass.
            float[][] lp = model.tokenLogProbs(sentences, new float[sentences.size()][0]);
            for (int i = 0; i < out.length; i++) {
                out[i] = sum(lp[i]);
            }
            return out;
        }
        int perCall = Math.max(1, MAX_ROWS / k);
        double[] logW = new double[k];
        for (int from = 0; from < sentences.size(); from += perCall) {
            int to = Math.min(sentences.size(), from + perCall);
            List<int[]> rows = new ArrayList<>((to - from) * k);
            float[][] z = new float[(to - from) * k][];
            double[] priorMinusQ = new double[z.length];
            for (int i = from; i < to; i++) {
                SplittableRandom rng = rngFor(seed, sentences.get(i));
                for (int s = 0; s < k; s++) {
                    int r = (i - from) * k + s;
                    z[r] = posteriors[i].sample(rng);
                    priorMinusQ[r] = posteriors[i].logPrior(z[r]) - posteriors[i].logDensity(z[r]);
                    rows.add(sentences.get(i));
                }
            }
            float[][] lp = model.tokenLogProbs(rows, z);
            for (int i = from; i < to; i++) {
                for (int s = 0; s < k; s++) {
                    int r = (i - from) * k + s;
                    logW[s] = sum(lp[r]) + priorMinusQ[r];
                }
                out[i] = GaussianMath.logSumExp(logW) - Math.log(k);
            }
        }
        return out;
    }

    /**
     * log p(x|z) at one reparameterized sample z ~ q(z|x) per sentence (the reconstruction term
     * of the ELBO, single-sample estimate).
     */
    public static double[] sampledReconstruction(VaeScorer model, List<int[]> sentences, Posterior[] posteriors, long seed) {
        float[][] z = new float[sentences.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = model.latentDim() == 0 ? new float[0] : posteriors[i].sample(Seeds.stream(seed, Arrays.hashCode(sentences.get(i)), sentences.get(i).length, 1));
        }
        return rowSums(model.tokenLogProbs(sentences, z));
    }

    /** Row sums of per-token log-probabilities. */
    public static double[] rowSums(float[][] lp) {
        double[] out = new double[lp.length];
        for (int i = 0; i < lp.length; i++) {
            out[i] = sum(lp[i]);
        }
        return out;
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
