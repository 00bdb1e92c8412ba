package io.latentnlp.models.runtime;

import io.latentnlp.models.text.Vocabulary;
import java.util.Arrays;
import java.util.SplittableRandom;

/** How a decoder's next token is chosen from one step's log-probabilities: the highest ones, or a draw after temperature and top-p. */
final class TokenChoice {

    private TokenChoice() {}

    /** See {@link SentenceGenerator#samplingDistribution}. */
    static double[] samplingDistribution(float[] logProbs, double temperature, double topP) {
        double[] p = new double[logProbs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < p.length; v++) {
            if (allowed(v)) {
                max = Math.max(max, logProbs[v] / temperature);
            }
        }
        double sum = 0;
        for (int v = 0; v < p.length; v++) {
            p[v] = allowed(v) ? Math.exp(logProbs[v] / temperature - max) : 0;
            sum += p[v];
        }
        for (int v = 0; v < p.length; v++) {
            p[v] /= sum;
        }
        if (topP < 1) {
            Integer[] order = new Integer[p.length];
            for (int v = 0; v < p.length; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
            double cum = 0;
            int keep = 0;
            while (keep < order.length && cum < topP) {
                cum += p[order[keep++]];
            }
            double kept = 0;
            for (int k = 0; k < order.length; k++) {
                if (k >= keep) {
                    p[order[k]] = 0;
                } else {
                    kept += p[order[k]];
                }
            }
            for (int v = 0; v < p.length; v++) {
                p[v] /= kept;
            }
        }
        return p;
    }

    /** A token drawn from {@link #samplingDistribution}. */
    static int draw(float[] logProbs, double temperature, double topP, SplittableRandom rng) {
        double[] p = samplingDistribution(logProbs, temperature, topP);
        double u = rng.nextDouble();
        double cum = 0;
        int last = -1;
        for (int v = 0; v < p.length; v++) {
            if (p[v] > 0) {
                cum += p[v];
                last = v;
                if (u < cum) {
                    return v;
                }
            }
        }
        return last;
    }

    static boolean allowed(int v) {
        return v != Vocabulary.PAD_ID && v != Vocabulary.BOS_ID;
    }

    /** The {@code width} highest tokens (lower id first on ties), {@code <pad>} and {@code <s>} excluded. */
    static int[] top(float[] lp, int width) {
        Integer[] order = new Integer[lp.length];
        int n = 0;
        for (int v = 0; v < lp.length; v++) {
            if (allowed(v)) {
                order[n++] = v;
            }
        }
        Integer[] candidates = Arrays.copyOf(order, n);
        if (width == 1) {
            int best = candidates[0];
            for (int v : candidates) {
                if (lp[v] > lp[best]) {
                    best = v;
                }
            }
            return new int[] {best};
        }
        Arrays.sort(candidates, (a, b) -> lp[a] != lp[b] ? Float.compare(lp[b], lp[a]) : Integer.compare(a, b));
        int[] top = new int[Math.min(width, n)];
        for (int k = 0; k < top.length; k++) {
            top[k] = candidates[k];
        }
        return top;
    }

    /** {@code ids} with {@code v} appended. */
    static int[] append(int[] ids, int v) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = v;
        return out;
    }
}
