package io.latentnlp.index;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Chooses a {@link SubstringLayout} for multi-index hashing from the codes themselves: how many
 * substrings, and which bits go together.
 *
 * <p>Real semantic hashes are not uniform: bits are unbalanced and correlated, and many codes
 * repeat. A substring of correlated bits takes fewer distinct values than its length promises,
 * so its buckets are crowded and each probe verifies more candidates. The planner measures, on
 * a sample of up to {@value #SAMPLE} codes, every bit's balance and every pair's correlation
 * (phi coefficient), and deals the bits out to the m substrings so that strongly correlated bits
 * land in different substrings: the most correlated bits first, each to the substring (with room
 * left) where its summed squared correlation with the bits already there is least.
 *
 * <p>m is then chosen by an estimated query cost, per candidate m from one below to two above the
 * usual b / log2(n) (within ceil(b / 32) to ceil(b / 8)):
 * for each of {@value #QUERIES} sample codes used as queries, the distance of its 10th nearest
 * neighbour among n codes is estimated from its distances to the sample (scaled to n), which fixes
 * the substring distance s* = floor(d10 / m) that exact k-NN must probe; the cost is the number
 * of bucket lookups (sum over tables and s &lt;= s* of C(len, s)) times a lookup's cost, plus the
 * expected number of candidates (n times the sample's fraction of codes at substring distance
 * s &lt;= s* in that table) times a verification's cost, capped at a full scan
 * ({@link MultiIndexHash#LOOKUP_COST}, {@link MultiIndexHash#CANDIDATE_COST}). The m with the
 * lowest median cost wins (the smaller m on ties: less memory). The plan changes only speed and
 * memory, never results: any layout gives exact answers. Deterministic for a given code set.
 */
public final class LayoutPlanner {

    /** Codes sampled for the bit statistics. */
    static final int SAMPLE = 1 << 15;
    /** Sample codes used as queries in the cost estimate. */
    static final int QUERIES = 100;
    /** The k of the k-NN query the cost estimate is for. */
    static final int K = 10;

    /**
     * A chosen layout and why.
     *
     * @param layout the layout
     * @param estimatedCost median estimated cost of a 10-NN query, in units of one scanned code
     * @param estimatedTenthDistance median estimated distance of the 10th nearest code
     * @param meanAbsCorrelation mean |phi| over bit pairs in the sample
     * @param meanBalance mean over bits of min(p, 1 - p) (0.5 = perfectly balanced)
     */
    public record Plan(SubstringLayout layout, double estimatedCost, int estimatedTenthDistance, double meanAbsCorrelation, double meanBalance) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s; estimated 10-NN cost %.0f code-verifications, 10th-NN distance ~%d; bits: mean balance %.2f, mean |corr| %.3f",
                    layout, estimatedCost, estimatedTenthDistance, meanBalance, meanAbsCorrelation);
        }
    }

    private LayoutPlanner() {}

    /**
     * Plans a layout for {@code codes}.
     *
     * @param fixedSubstrings m to use (only the bit order is planned), or 0 to choose m too
     */
    public static Plan plan(PackedCodes codes, int fixedSubstrings) {
        int bits = codes.bits();
        int n = codes.size();
        int mMin = (bits + SubstringLayout.MAX_SUBSTRING_BITS - 1) / SubstringLayout.MAX_SUBSTRING_BITS;
        int mMax = Math.min(bits, Math.max(mMin, (bits + 7) / 8));
        // Around the usual choice, substrings of about log2(n) bits: one fewer to two more.
        int usual = SubstringLayout.forSize(bits, Math.max(2, n)).substrings();
        mMin = Math.max(mMin, usual - 1);
        mMax = Math.max(mMin, Math.min(mMax, usual + 2));
        if (fixedSubstrings > 0) {
            new SubstringLayout(bits, fixedSubstrings); // validates
            mMin = fixedSubstrings;
            mMax = fixedSubstrings;
        }
        if (n < 2) {
            SubstringLayout layout = fixedSubstrings > 0 ? new SubstringLayout(bits, fixedSubstrings) : SubstringLayout.forSize(bits, Math.max(n, 1));
            return new Plan(layout, n, 0, 0, 0);
        }
        // A deterministic sample: all codes, or SAMPLE drawn with a fixed seed.
        int s = Math.min(n, SAMPLE);
        long[][] sample = new long[s][];
        SplittableRandom rng = new SplittableRandom(0x5eed_0f_4d1L);
        for (int i = 0; i < s; i++) {
            sample[i] = codes.code(n <= SAMPLE ? i : rng.nextInt(n));
        }
        double[][] phi = correlations(sample, bits);
        double[] p = new double[bits];
        for (long[] c : sample) {
            for (int b = 0; b < bits; b++) {
                if (bit(c, b)) {
                    p[b]++;
                }
            }
        }
        double balance = 0;
        for (int b = 0; b < bits; b++) {
            p[b] /= s;
            balance += Math.min(p[b], 1 - p[b]) / bits;
        }
        double absCorr = 0;
        for (int a = 0; a < bits; a++) {
            for (int b = a + 1; b < bits; b++) {
                absCorr += Math.abs(phi[a][b]);
            }
        }
        absCorr /= Math.max(1, bits * (bits - 1) / 2);
        int queries = Math.min(QUERIES, s);
        int[][] dist = new int[queries][s]; // full distances of each query to the sample
        for (int q = 0; q < queries; q++) {
            for (int i = 0; i < s; i++) {
                dist[q][i] = hamming(sample[q], sample[i]);
            }
        }
        Plan best = null;
        for (int m = mMin; m <= mMax; m++) {
            SubstringLayout layout = new SubstringLayout(bits, m, spread(phi, bits, m));
            Plan plan = estimate(layout, sample, dist, n, absCorr, balance);
            if (best == null || plan.estimatedCost() < best.estimatedCost()) {
                best = plan;
            }
        }
        return best;
    }

    /** The bit order that deals correlated bits out to different substrings (see the class comment). */
    static int[] spread(double[][] phi, int bits, int m) {
        SubstringLayout shape = new SubstringLayout(bits, m);
        Integer[] byEntanglement = new Integer[bits];
        double[] total = new double[bits];
        for (int a = 0; a < bits; a++) {
            byEntanglement[a] = a;
            for (int b = 0; b < bits; b++) {
                if (a != b) {
                    total[a] += phi[a][b] * phi[a][b];
                }
            }
        }
        Arrays.sort(byEntanglement, (a, b) -> total[a] != total[b] ? Double.compare(total[b], total[a]) : Integer.compare(a, b));
        int[][] members = new int[m][];
        int[] size = new int[m];
        for (int j = 0; j < m; j++) {
            members[j] = new int[shape.length(j)];
        }
        for (int a : byEntanglement) {
            int bestJ = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (size[j] == members[j].length) {
                    continue;
                }
                double c = 0;
                for (int i = 0; i < size[j]; i++) {
                    c += phi[a][members[j][i]] * phi[a][members[j][i]];
                }
                // Equal cost: the emptier substring, so that early (entangled) bits spread out.
                if (c < bestCost - 1e-12 || (Math.abs(c - bestCost) <= 1e-12 && size[j] < size[bestJ])) {
                    bestCost = c;
                    bestJ = j;
                }
            }
            members[bestJ][size[bestJ]++] = a;
        }
        int[] order = new int[bits];
        int at = 0;
        for (int j = 0; j < m; j++) {
            Arrays.sort(members[j]);
            for (int b : members[j]) {
                order[at++] = b;
            }
        }
        return order;
    }

    private static Plan estimate(SubstringLayout layout, long[][] sample, int[][] dist, int n, double absCorr, double balance) {
        int m = layout.substrings();
        int s = sample.length;
        long[][] sub = new long[m][s];
        long[] permuted = new long[sample[0].length];
        for (int i = 0; i < s; i++) {
            layout.permute(sample[i], 0, permuted);
            for (int j = 0; j < m; j++) {
                sub[j][i] = SubstringLayout.extract(permuted, 0, layout.start(j), layout.length(j));
            }
        }
        double scale = (double) n / Math.max(1, s - 1); // sample counts to counts among n codes
        double[] costs = new double[dist.length];
        int[] tenth = new int[dist.length];
        for (int q = 0; q < dist.length; q++) {
            int[] hist = new int[layout.bits() + 1];
            for (int i = 0; i < s; i++) {
                if (i != q) {
                    hist[dist[q][i]]++;
                }
            }
            // The 10th-NN distance among n codes: where the scaled cumulative count reaches K
            // (the query itself counts when n > s, as a user's query is usually near its own copies).
            double cum = 0;
            int d10 = layout.bits();
            for (int d = 0; d <= layout.bits(); d++) {
                cum += hist[d] * scale;
                if (cum >= K) {
                    d10 = d;
                    break;
                }
            }
            tenth[q] = d10;
            int levels = d10 / m;
            double cost = 0;
            for (int j = 0; j < m; j++) {
                int len = layout.length(j);
                long within = 0;
                for (int i = 0; i < s; i++) {
                    if (i != q && Long.bitCount(sub[j][i] ^ sub[j][q]) <= levels) {
                        within++;
                    }
                }
                double lookups = 0;
                for (int l = 0; l <= Math.min(levels, len); l++) {
                    lookups += MultiIndexHash.binomial(len, l);
                }
                cost += lookups * MultiIndexHash.LOOKUP_COST + within * scale * MultiIndexHash.CANDIDATE_COST;
            }
            costs[q] = Math.min(cost, n); // MIH falls back to a scan beyond that
        }
        Arrays.sort(costs);
        Arrays.sort(tenth);
        return new Plan(layout, costs[costs.length / 2], tenth[tenth.length / 2], absCorr, balance);
    }

    /** Phi coefficients of every bit pair over the sample (0 for a constant bit), from bit-sliced columns. */
    static double[][] correlations(long[][] sample, int bits) {
        int s = sample.length;
        int words = (s + 63) >>> 6;
        long[][] column = new long[bits][words];
        for (int i = 0; i < s; i++) {
            for (int b = 0; b < bits; b++) {
                if (bit(sample[i], b)) {
                    column[b][i >>> 6] |= 1L << (i & 63);
                }
            }
        }
        long[] ones = new long[bits];
        for (int b = 0; b < bits; b++) {
            for (long w : column[b]) {
                ones[b] += Long.bitCount(w);
            }
        }
        double[][] phi = new double[bits][bits];
        for (int a = 0; a < bits; a++) {
            for (int b = a + 1; b < bits; b++) {
                long both = 0;
                for (int w = 0; w < words; w++) {
                    both += Long.bitCount(column[a][w] & column[b][w]);
                }
                double den = Math.sqrt((double) ones[a] * (s - ones[a]) * ones[b] * (s - ones[b]));
                double v = den == 0 ? 0 : ((double) both * s - (double) ones[a] * ones[b]) / den;
                phi[a][b] = v;
                phi[b][a] = v;
            }
        }
        return phi;
    }

    private static boolean bit(long[] code, int b) {
        return (code[b >>> 6] >>> (63 - (b & 63)) & 1) != 0;
    }

    private static int hamming(long[] a, long[] b) {
        int d = 0;
        for (int w = 0; w < a.length; w++) {
            d += Long.bitCount(a[w] ^ b[w]);
        }
        return d;
    }
}
