package io.latentnlp.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Computes {@link EvalMetrics} for any {@link VaeScorer} on a set of sentences: the one
 * implementation used by per-epoch validation in training (DJL) and by {@code latent-nlp eval}
 * on a bundle (ONNX Runtime).
 *
 * <p>Mutual information follows He et al. (2019): I = E_x E_q[log q(z|x)] - E_z[log q(z)], with
 * one sample z_i ~ q(z|x_i) per sentence and the aggregate posterior q(z) = 1/N sum_j q(z|x_j)
 * taken over the whole set. Active units follow Burda et al. (2016): dimension i is active when
 * Var_x(E_q[z_i]) &gt; delta.
 */
public final class VaeEvaluator {

    /**
     * @param iwSamples K for the importance-weighted NLL (at least 1)
     * @param batchSize sentences per encoder call
     * @param seed noise seed
     * @param activeDelta active-unit threshold (0.01 as usual)
     */
    public record Settings(int iwSamples, int batchSize, long seed, double activeDelta) {
        public Settings {
            if (iwSamples < 1) {
                throw new IllegalArgumentException("illegal iwSamples " + iwSamples + ": must be at least 1");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(100, 64, 42, 0.01);
        }
    }

    private VaeEvaluator() {}

    /**
     * Evaluates the model.
     *
     * @param sentences ids ending in {@code </s>}; must not be empty
     * @param progress called with the number of sentences done so far (may be null)
     */
    public static EvalMetrics evaluate(VaeScorer model, List<int[]> sentences, Settings settings, LongConsumer progress) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("cannot evaluate on an empty set of sentences");
        }
        int n = sentences.size();
        // Length-sorted order keeps padding small; results are per sentence, so order is irrelevant.
        Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingInt(i -> sentences.get(i).length)).toArray(Integer[]::new);
        Posterior[] posteriors = new Posterior[n];
        double sumIw = 0;
        double sumRec = 0;
        double sumKl = 0;
        long tokens = 0;
        for (int from = 0; from < n; from += settings.batchSize()) {
            int to = Math.min(n, from + settings.batchSize());
            List<int[]> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(sentences.get(order[i]));
            }
            Posterior[] q = model.encode(batch);
            double[] rec = LikelihoodEstimator.sampledReconstruction(model, batch, q, settings.seed());
            double[] iw = LikelihoodEstimator.logMarginal(model, batch, q, settings.iwSamples(), settings.seed());
            for (int i = 0; i < batch.size(); i++) {
                posteriors[order[from + i]] = q[i];
                sumRec += rec[i];
                sumIw += iw[i];
                sumKl += model.latentDim() == 0 ? 0 : q[i].kl();
                tokens += batch.get(i).length;
            }
            if (progress != null) {
                progress.accept(to);
            }
        }
        double mi = model.latentDim() == 0 ? 0 : mutualInformation(posteriors, settings.seed());
        int au = model.latentDim() == 0 ? 0 : activeUnits(posteriors, settings.activeDelta());
        return new EvalMetrics(n, tokens, (sumRec - sumKl) / n, -sumRec / n, sumKl / n, -sumIw / n, settings.iwSamples(),
                Math.exp(-sumIw / tokens), mi, au, settings.activeDelta(), model.latentDim());
    }

    /** Aggregate-posterior MI estimate over all posteriors (O(N^2 d)). */
    public static double mutualInformation(Posterior[] q, long seed) {
        int n = q.length;
        int d = q[0].dim();
        SplittableRandom rng = Seeds.stream(seed, 2);
        double negEntropy = 0;
        float[][] z = new float[n][];
        for (int i = 0; i < n; i++) {
            double sumLogvar = 0;
            for (float lv : q[i].logvar()) {
                sumLogvar += lv;
            }
            // E_q[log q(z|x)] = -d/2 log(2 pi) - 1/2 sum(1 + logvar)
            negEntropy += -0.5 * d * GaussianMath.LOG_2PI - 0.5 * (d + sumLogvar);
            z[i] = GaussianMath.sample(q[i], rng);
        }
        negEntropy /= n;
        double[] inv = new double[n * d];
        double[] logNorm = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                inv[j * d + k] = Math.exp(-q[j].logvar()[k]);
                s += q[j].logvar()[k];
            }
            logNorm[j] = -0.5 * (d * GaussianMath.LOG_2PI + s);
        }
        double sumLogQz = IntStream.range(0, n).parallel().mapToDouble(i -> {
            double[] logDensity = new double[n];
            for (int j = 0; j < n; j++) {
                float[] mu = q[j].mean();
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = z[i][k] - mu[k];
                    s += diff * diff * inv[j * d + k];
                }
                logDensity[j] = logNorm[j] - 0.5 * s;
            }
            return GaussianMath.logSumExp(logDensity) - Math.log(n);
        }).sum();
        return negEntropy - sumLogQz / n;
    }

    /** Dimensions whose posterior mean has variance above {@code delta} across the set. */
    public static int activeUnits(Posterior[] q, double delta) {
        int d = q[0].dim();
        int active = 0;
        for (int k = 0; k < d; k++) {
            double mean = 0;
            for (Posterior p : q) {
                mean += p.mean()[k];
            }
            mean /= q.length;
            double var = 0;
            for (Posterior p : q) {
                double diff = p.mean()[k] - mean;
                var += diff * diff;
            }
            if (var / q.length > delta) {
                active++;
            }
        }
        return active;
    }
}
