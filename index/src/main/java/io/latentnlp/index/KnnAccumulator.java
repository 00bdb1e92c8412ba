package io.latentnlp.index;

/**
 * Collects verified candidates of one exact search: the candidates themselves, a histogram of
 * their distances, and a running threshold. For k-NN the threshold is the k-th smallest accepted
 * distance once k candidates are in (codes farther than it can never enter the result, so callers
 * skip them before any bookkeeping); for radius search it is the radius. Shared by the linear
 * scan, in-memory MIH and the Lucene index so that all apply the same rule. Not thread-safe; one
 * per query.
 */
final class KnnAccumulator {

    final Candidates candidates = new Candidates();
    private final int[] hist;
    private final int k;
    private int threshold;
    private int below; // accepted candidates with distance < threshold

    /**
     * @param k neighbours wanted (Integer.MAX_VALUE for radius search)
     * @param threshold initial threshold: the code length for k-NN, the radius for radius search
     */
    KnnAccumulator(int bits, int k, int threshold) {
        this.hist = new int[bits + 1];
        this.k = k;
        this.threshold = threshold;
    }

    /** The largest distance still worth accepting. */
    int threshold() {
        return threshold;
    }

    /** Accepts a distinct candidate within {@link #threshold()}. */
    void accept(int ordinal, int d) {
        candidates.add(ordinal, d);
        hist[d]++;
        if (d < threshold) {
            below++;
            while (below >= k) {
                threshold--;
                below -= hist[threshold];
            }
        }
    }

    /** Lowers the threshold to {@code d} (when below it): no farther candidate is wanted (a bound from elsewhere, e.g. other segments). */
    void limit(int d) {
        if (d >= threshold || k == 0) {
            return;
        }
        threshold = d;
        below = 0;
        for (int i = 0; i < d; i++) {
            below += hist[i];
        }
        while (below >= k) {
            threshold--;
            below -= hist[threshold];
        }
    }

    /** How many accepted candidates lie at distance d. */
    int countAt(int d) {
        return hist[d];
    }

    /** Accepted candidates so far. */
    int count() {
        return candidates.size();
    }

    /** The distance of the target-th nearest accepted candidate if it is at most {@code proven}, else -1. */
    int kth(int target, long proven) {
        if (target <= 0) {
            return 0;
        }
        int within = 0;
        for (int d = 0; d < hist.length && d <= proven; d++) {
            within += hist[d];
            if (within >= target) {
                return d;
            }
        }
        return -1;
    }
}
