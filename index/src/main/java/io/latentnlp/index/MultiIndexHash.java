package io.latentnlp.index;

import java.util.Arrays;
import java.util.List;

/**
 * Exact Hamming k-NN and radius search by multi-index hashing (Norouzi, Punjani and Fleet, 2012)
 * over an in-memory {@link PackedCodes}: each code is cut into m substrings ({@link
 * SubstringLayout}) and each substring position has a table from substring value to the codes
 * that have it. A query probes, for s = 0, 1, 2, ..., every table at every substring value
 * within distance s of its own substring and verifies the candidates' full distances.
 *
 * <p>Exactness: after probing up to s, every code within distance m (s + 1) - 1 has been seen
 * (a code missed by all m tables differs by more than s in each substring). So k-NN stops as soon
 * as k verified candidates lie within that bound; every code at the k-th distance has then been
 * seen too, so ties are broken over the complete set. Radius r probes up to floor(r / m).
 *
 * <p>Tables are compressed-sparse-row arrays: dense (2^len + 1 offsets) up to 22-bit
 * substrings, sorted keys with binary search above. Build once; thread-safe for searching.
 */
public final class MultiIndexHash implements HammingSearcher {

    private static final int DENSE_MAX_BITS = 22;

    private final PackedCodes codes;
    private final SubstringLayout layout;
    private final Table[] tables;
    private final ThreadLocal<Seen> seen;

    /** Builds the tables with substrings of about log2(n) bits. */
    public MultiIndexHash(PackedCodes codes) {
        this(codes, SubstringLayout.forSize(codes.bits(), codes.size()));
    }

    public MultiIndexHash(PackedCodes codes, SubstringLayout layout) {
        if (layout.bits() != codes.bits()) {
            throw new IllegalArgumentException("layout for " + layout.bits() + "-bit codes over " + codes.bits() + "-bit codes");
        }
        this.codes = codes;
        this.layout = layout;
        this.tables = new Table[layout.substrings()];
        for (int j = 0; j < tables.length; j++) {
            tables[j] = Table.build(codes, layout, j);
        }
        int n = codes.size();
        this.seen = ThreadLocal.withInitial(() -> new Seen(n));
    }

    @Override
    public PackedCodes codes() {
        return codes;
    }

    public SubstringLayout layout() {
        return layout;
    }

    /** Bytes held by the tables (offsets, keys and ordinals), not counting the codes. */
    public long tableBytes() {
        long b = 0;
        for (Table t : tables) {
            b += t.bytes();
        }
        return b;
    }

    @Override
    public List<Neighbor> knn(long[] query, int k, float[] queryLatent) {
        HammingSearcher.check(codes, query, k);
        int m = layout.substrings();
        int target = Math.min(k, codes.size());
        Candidates c = new Candidates();
        Seen visited = seen.get();
        visited.next();
        long[] sub = substrings(query);
        int[] hist = new int[codes.bits() + 1];
        int maxLen = 0;
        for (int j = 0; j < m; j++) {
            maxLen = Math.max(maxLen, layout.length(j));
        }
        long probes = 0;
        for (int s = 0; s <= maxLen; s++) {
            probes += probesAt(s);
            if (probes > codes.size()) {
                // Probing more substring values than there are codes costs more than a scan:
                // verify every code not seen yet (still exact), as MIH implementations do.
                scanUnseen(query, c, visited, hist);
                return c.ranked(k, codes.bits(), codes, queryLatent);
            }
            probe(query, sub, s, c, visited, hist);
            // Every code within m (s + 1) - 1 has been seen; stop once k of them are verified.
            long proven = (long) m * (s + 1) - 1;
            int within = 0;
            int kth = -1;
            for (int d = 0; d <= Math.min(proven, codes.bits()); d++) {
                within += hist[d];
                if (within >= target) {
                    kth = d;
                    break;
                }
            }
            if (kth >= 0) {
                return c.ranked(k, kth, codes, queryLatent);
            }
        }
        // Every substring value has been probed: all codes are candidates.
        return c.ranked(k, codes.bits(), codes, queryLatent);
    }

    @Override
    public List<Neighbor> radius(long[] query, int r, float[] queryLatent) {
        HammingSearcher.check(codes, query, 1);
        if (r < 0) {
            throw new IllegalArgumentException("illegal radius " + r + ": must be >= 0");
        }
        Candidates c = new Candidates();
        Seen visited = seen.get();
        visited.next();
        long[] sub = substrings(query);
        int[] hist = new int[codes.bits() + 1];
        int maxS = r / layout.substrings();
        long probes = 0;
        for (int s = 0; s <= maxS; s++) {
            probes += probesAt(s);
            if (probes > codes.size()) {
                scanUnseen(query, c, visited, hist);
                break;
            }
            probe(query, sub, s, c, visited, hist);
        }
        return c.ranked(Integer.MAX_VALUE, r, codes, queryLatent);
    }

    private long[] substrings(long[] query) {
        long[] sub = new long[layout.substrings()];
        for (int j = 0; j < sub.length; j++) {
            sub[j] = layout.substring(query, j);
        }
        return sub;
    }

    /** Table lookups of probing level s: sum over substrings of C(len_j, s). */
    private long probesAt(int s) {
        long total = 0;
        for (int j = 0; j < layout.substrings(); j++) {
            total += binomial(layout.length(j), s);
        }
        return total;
    }

    static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    private void scanUnseen(long[] query, Candidates c, Seen visited, int[] hist) {
        for (int i = 0; i < codes.size(); i++) {
            if (visited.mark(i)) {
                int d = codes.distance(i, query);
                c.add(i, d);
                hist[d]++;
            }
        }
    }

    /** Probes every table at substring distance exactly s, verifying unseen codes. */
    private void probe(long[] query, long[] sub, int s, Candidates c, Seen visited, int[] hist) {
        for (int j = 0; j < tables.length; j++) {
            Table t = tables[j];
            SubstringLayout.forEachAtDistance(sub[j], layout.length(j), s, value -> t.forEach(value, ordinal -> {
                if (visited.mark(ordinal)) {
                    int d = codes.distance(ordinal, query);
                    c.add(ordinal, d);
                    hist[d]++;
                }
            }));
        }
    }

    /** Per-thread visited marks with generation stamps: no clearing between queries. */
    private static final class Seen {
        private final int[] stamp;
        private int generation;

        Seen(int n) {
            stamp = new int[n];
        }

        void next() {
            if (++generation == Integer.MAX_VALUE) {
                Arrays.fill(stamp, 0);
                generation = 1;
            }
        }

        /** True the first time an ordinal is marked in this generation. */
        boolean mark(int ordinal) {
            if (stamp[ordinal] == generation) {
                return false;
            }
            stamp[ordinal] = generation;
            return true;
        }
    }

    /** Substring value to ordinals, as CSR arrays. */
    private static final class Table {
        /** Sorted distinct keys (sparse tables) or null (dense: the key is the index). */
        private final long[] keys;
        private final int[] offsets;
        private final int[] ordinals;

        private Table(long[] keys, int[] offsets, int[] ordinals) {
            this.keys = keys;
            this.offsets = offsets;
            this.ordinals = ordinals;
        }

        static Table build(PackedCodes codes, SubstringLayout layout, int j) {
            int n = codes.size();
            int len = layout.length(j);
            long[] value = new long[n];
            for (int i = 0; i < n; i++) {
                value[i] = SubstringLayout.extract(codes.data(), i * codes.words(), layout.start(j), len);
            }
            if (len <= DENSE_MAX_BITS) {
                int[] offsets = new int[(1 << len) + 1];
                for (long v : value) {
                    offsets[(int) v + 1]++;
                }
                for (int i = 1; i < offsets.length; i++) {
                    offsets[i] += offsets[i - 1];
                }
                int[] fill = Arrays.copyOf(offsets, offsets.length - 1);
                int[] ordinals = new int[n];
                for (int i = 0; i < n; i++) {
                    ordinals[fill[(int) value[i]]++] = i;
                }
                return new Table(null, offsets, ordinals);
            }
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = value[i] << 31 | i;
            }
            Arrays.sort(packed);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || packed[i] >>> 31 != packed[i - 1] >>> 31) {
                    distinct++;
                }
            }
            long[] keys = new long[distinct];
            int[] offsets = new int[distinct + 1];
            int[] ordinals = new int[n];
            int k = -1;
            for (int i = 0; i < n; i++) {
                long key = packed[i] >>> 31;
                if (k < 0 || keys[k] != key) {
                    keys[++k] = key;
                    offsets[k] = i;
                }
                ordinals[i] = (int) (packed[i] & 0x7fffffffL);
            }
            offsets[distinct] = n;
            return new Table(keys, offsets, ordinals);
        }

        void forEach(long value, java.util.function.IntConsumer consumer) {
            int slot;
            if (keys == null) {
                slot = (int) value;
            } else {
                slot = Arrays.binarySearch(keys, value);
                if (slot < 0) {
                    return;
                }
            }
            for (int i = offsets[slot]; i < offsets[slot + 1]; i++) {
                consumer.accept(ordinals[i]);
            }
        }

        long bytes() {
            return (keys == null ? 0 : 8L * keys.length) + 4L * offsets.length + 4L * ordinals.length;
        }
    }
}
