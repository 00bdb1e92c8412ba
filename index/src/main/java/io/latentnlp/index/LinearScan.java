package io.latentnlp.index;

import java.util.List;

/**
 * Exact Hamming search by scanning every packed code: the reference that multi-index hashing is
 * tested against, and the baseline it is measured against. One pass over memory per query; the
 * k-NN pass keeps only candidates within the running k-th distance. Thread-safe for reading.
 */
public final class LinearScan implements HammingSearcher {

    private final PackedCodes codes;

    public LinearScan(PackedCodes codes) {
        this.codes = codes;
    }

    @Override
    public PackedCodes codes() {
        return codes;
    }

    @Override
    public List<Neighbor> knn(long[] query, int k, float[] queryLatent) {
        HammingSearcher.check(codes, query, k);
        KnnAccumulator acc = new KnnAccumulator(codes.bits(), k, codes.bits());
        long[] data = codes.data();
        int n = codes.size();
        int words = codes.words();
        int threshold = acc.threshold();
        for (int i = 0; i < n; i++) {
            int d;
            if (words == 1) {
                d = Long.bitCount(data[i] ^ query[0]);
            } else {
                d = 0;
                int base = i * words;
                for (int w = 0; w < words; w++) {
                    d += Long.bitCount(data[base + w] ^ query[w]);
                }
            }
            if (d <= threshold) {
                acc.accept(i, d);
                threshold = acc.threshold();
                if (acc.count() > 4 * k + 1024) {
                    acc.candidates.retainWithin(threshold);
                }
            }
        }
        return acc.candidates.ranked(k, threshold, codes, queryLatent);
    }

    @Override
    public List<Neighbor> radius(long[] query, int r, float[] queryLatent) {
        HammingSearcher.check(codes, query, 1);
        Candidates c = new Candidates();
        for (int i = 0; i < codes.size(); i++) {
            int d = codes.distance(i, query);
            if (d <= r) {
                c.add(i, d);
            }
        }
        return c.ranked(Integer.MAX_VALUE, r, codes, queryLatent);
    }
}
