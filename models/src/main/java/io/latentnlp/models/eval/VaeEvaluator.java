package io.latentnlp.models.eval;

import io.latentnlp.models.latent.DiscretePosterior;
import io.latentnlp.models.latent.GaussianMath;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.models.runtime.LikelihoodEstimator;
import io.latentnlp.models.runtime.VaeScorer;
import io.latentnlp.models.text.EncodedSentence;
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
 * Var_x(E_q[z_i]) &gt; delta. Both work for every {@link LatentType}.
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
        return evaluateSentences(model, sentences.stream().map(EncodedSentence::ofIds).toList(), settings, progress);
    }

    /**
     * Evaluates the model on encoded sentences (ids and text): what a bundle whose encoder reads
     * text (the pretrained family) needs; q(z|x) comes from {@link VaeScorer#encodeSentences}.
     */
    public static EvalMetrics evaluateSentences(VaeScorer model, List<EncodedSentence> encoded, Settings settings, LongConsumer progress) {
        List<int[]> sentences = EncodedSentence.ids(encoded);
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
            List<EncodedSentence> encodedBatch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(sentences.get(order[i]));
                encodedBatch.add(encoded.get(order[i]));
            }
            Posterior[] q = model.encodeSentences(encodedBatch);
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

    /**
     * Aggregate-posterior MI estimate over all posteriors (O(N^2 d)): one sample z_i ~ q(z|x_i)
     * per sentence, I = mean_i E_q[log q(z|x_i)] - mean_i log (1/N sum_j q(z_i|x_j)).
     */
    public static double mutualInformation(Posterior[] q, long seed) {
        int n = q.length;
        SplittableRandom rng = Seeds.stream(seed, 2);
        double negEntropy = 0;
        float[][] z = new float[n][];
        for (int i = 0; i < n; i++) {
            negEntropy += q[i].negativeEntropy();
            z[i] = q[i].sample(rng);
        }
        negEntropy /= n;
        Density density = q[0] instanceof GaussianPosterior ? gaussianDensity(q) : discreteDensity(q);
        double sumLogQz = IntStream.range(0, n).parallel().mapToDouble(i -> {
            double[] logDensity = new double[n];
            for (int j = 0; j < n; j++) {
                logDensity[j] = density.log(j, z[i]);
            }
            return GaussianMath.logSumExp(logDensity) - Math.log(n);
        }).sum();
        return negEntropy - sumLogQz / n;
    }

    /** log q(z | x_j), precomputed for fast evaluation at many z. */
    private interface Density {
        double log(int j, float[] z);
    }

    private static Density gaussianDensity(Posterior[] q) {
        int n = q.length;
        int d = q[0].dim();
        double[] mu = new double[n * d];
        double[] inv = new double[n * d];
        double[] logNorm = new double[n];
        for (int j = 0; j < n; j++) {
            GaussianPosterior g = (GaussianPosterior) q[j];
            double s = 0;
            for (int k = 0; k < d; k++) {
                mu[j * d + k] = g.mean()[k];
                inv[j * d + k] = Math.exp(-g.logvar()[k]);
                s += g.logvar()[k];
            }
            logNorm[j] = -0.5 * (d * GaussianMath.LOG_2PI + s);
        }
        return (j, z) -> {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double diff = z[k] - mu[j * d + k];
                s += diff * diff * inv[j * d + k];
            }
            return logNorm[j] - 0.5 * s;
        };
    }

    /** Discrete posteriors: log q(z|x_j) = offset_j + w_j . z ({@link DiscretePosterior}). */
    private static Density discreteDensity(Posterior[] q) {
        int n = q.length;
        int c = q[0].codeDim();
        double[] w = new double[n * c];
        double[] offset = new double[n];
        for (int j = 0; j < n; j++) {
            DiscretePosterior p = (DiscretePosterior) q[j];
            System.arraycopy(p.logDensityWeights(), 0, w, j * c, c);
            offset[j] = p.logDensityOffset();
        }
        return (j, z) -> {
            double s = offset[j];
            for (int k = 0; k < c; k++) {
                if (z[k] != 0) {
                    s += w[j * c + k] * z[k];
                }
            }
            return s;
        };
    }

    /**
     * Active units (Burda et al. 2016): latent variables whose posterior expectation E_q[z] varies
     * across the set by more than {@code delta}. For a categorical variable the variances of its K
     * class probabilities are summed.
     */
    public static int activeUnits(Posterior[] q, double delta) {
        int d = q[0].dim();
        int width = q[0].codeDim() / d;
        float[][] e = new float[q.length][];
        for (int i = 0; i < q.length; i++) {
            e[i] = q[i].expectation();
        }
        int active = 0;
        for (int k = 0; k < d; k++) {
            double var = 0;
            for (int c = k * width; c < (k + 1) * width; c++) {
                double mean = 0;
                for (float[] row : e) {
                    mean += row[c];
                }
                mean /= q.length;
                double v = 0;
                for (float[] row : e) {
                    double diff = row[c] - mean;
                    v += diff * diff;
                }
                var += v / q.length;
            }
            if (var > delta) {
                active++;
            }
        }
        return active;
    }
}
