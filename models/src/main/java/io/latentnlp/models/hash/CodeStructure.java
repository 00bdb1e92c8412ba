package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a set of codes says about itself, apart from any labels: how much the Hamming distance
 * follows the items' lengths (a hash of length, not meaning, fails here), how many codes are
 * distinct, how balanced the bits are and how much they repeat each other. Stateless.
 *
 * @param lengthSpearman Spearman rank correlation of Hamming distance with |length difference|
 *     over random pairs (0 = distance ignores length; NaN when either does not vary)
 * @param distanceEqualLength mean Hamming distance of the sampled pairs of equal length (NaN if none)
 * @param distanceFarLength mean Hamming distance of the sampled pairs whose lengths differ by
 *     {@link #FAR} or more (NaN if none)
 * @param distinctShare distinct codes / items
 * @param bitImbalance mean over bits of |share of ones - 1/2| (0 = every bit splits the items in
 *     half, 0.5 = constant bits)
 * @param bitCorrelation mean |Pearson correlation| over pairs of non-constant bits (0 = bits
 *     independent in pairs)
 * @param pairs sampled pairs
 */
public record CodeStructure(double lengthSpearman, double distanceEqualLength, double distanceFarLength, double distinctShare,
        double bitImbalance, double bitCorrelation, int pairs) {

    /** Length difference (tokens) from which a pair counts as far apart. */
    public static final int FAR = 8;

    /**
     * Measures codes with the items' lengths (tokens).
     *
     * @param pairs random pairs for the length statistics (drawn with {@code seed}, i != j)
     */
    public static CodeStructure of(List<SemanticHash> codes, int[] lengths, int pairs, long seed) {
        int n = codes.size();
        if (n != lengths.length) {
            throw new IllegalArgumentException(n + " codes but " + lengths.length + " lengths");
        }
        if (n < 2) {
            throw new IllegalArgumentException("code structure needs at least 2 codes, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] dist = new double[pairs];
        double[] diff = new double[pairs];
        double sumEq = 0;
        double sumFar = 0;
        int nEq = 0;
        int nFar = 0;
        for (int p = 0; p < pairs; p++) {
            int i = rng.nextInt(n);
            int j = rng.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            dist[p] = codes.get(i).hamming(codes.get(j));
            diff[p] = Math.abs(lengths[i] - lengths[j]);
            if (diff[p] == 0) {
                sumEq += dist[p];
                nEq++;
            } else if (diff[p] >= FAR) {
                sumFar += dist[p];
                nFar++;
            }
        }
        int bits = codes.get(0).bits();
        double[] ones = new double[bits];
        for (SemanticHash c : codes) {
            for (int b = 0; b < bits; b++) {
                if (c.bit(b)) {
                    ones[b]++;
                }
            }
        }
        double imbalance = 0;
        for (int b = 0; b < bits; b++) {
            ones[b] /= n;
            imbalance += Math.abs(ones[b] - 0.5) / bits;
        }
        return new CodeStructure(spearman(dist, diff), nEq == 0 ? Double.NaN : sumEq / nEq, nFar == 0 ? Double.NaN : sumFar / nFar,
                new HashSet<>(codes).size() / (double) n, imbalance, meanAbsCorrelation(codes, ones), pairs);
    }

    /** Mean |phi| over pairs of bits that are not constant; 0 when fewer than two vary. */
    static double meanAbsCorrelation(List<SemanticHash> codes, double[] ones) {
        int bits = ones.length;
        int n = codes.size();
        double[][] both = new double[bits][bits];
        for (SemanticHash c : codes) {
            int[] on = new int[bits];
            int k = 0;
            for (int b = 0; b < bits; b++) {
                if (c.bit(b)) {
                    on[k++] = b;
                }
            }
            for (int x = 0; x < k; x++) {
                for (int y = x + 1; y < k; y++) {
                    both[on[x]][on[y]]++;
                }
            }
        }
        double sum = 0;
        int count = 0;
        for (int a = 0; a < bits; a++) {
            for (int b = a + 1; b < bits; b++) {
                double va = ones[a] * (1 - ones[a]);
                double vb = ones[b] * (1 - ones[b]);
                if (va == 0 || vb == 0) {
                    continue;
                }
                double cov = both[a][b] / n - ones[a] * ones[b];
                sum += Math.abs(cov / Math.sqrt(va * vb));
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** Spearman's rho: Pearson correlation of the ranks, ties given their mean rank. */
    public static double spearman(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < idx.length;) {
            int j = i;
            while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx <= 1e-12 * n || syy <= 1e-12 * n ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
