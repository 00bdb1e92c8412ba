package io.latentnlp.index;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

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
 * substrings, sorted keys with binary search above; each table keeps a copy of the codes in
 * bucket order, so verifying a bucket reads memory sequentially (memory for speed: 8 bytes per
 * word per table). A candidate farther than the running k-th distance is dropped without
 * deduplication. When the expected cost of the levels so far exceeds a scan's ({@link
 * #levelCost}), the search verifies every code instead (still exact). Build once; thread-safe for searching.
 */
public final class MultiIndexHash implements HammingSearcher {

    private final PackedCodes codes;
    private final SubstringLayout layout;
    private final SubstringTable[] tables;
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
        int n = codes.size();
        int m = layout.substrings();
        // Every code's substring values in one pass (a permutation per code, not per table);
        // substrings are at most 32 bits, kept as unsigned ints.
        int[][] values = new int[m][n];
        long[] data = codes.data();
        long[] permuted = new long[codes.words()];
        for (int i = 0; i < n; i++) {
            layout.permute(data, i * codes.words(), permuted);
            for (int j = 0; j < m; j++) {
                values[j][i] = (int) SubstringLayout.extract(permuted, 0, layout.start(j), layout.length(j));
            }
        }
        this.tables = new SubstringTable[m];
        // Tables are independent: built in parallel (the common fork-join pool).
        java.util.stream.IntStream.range(0, m).parallel().forEach(j -> tables[j] = SubstringTable.build(codes, layout.length(j), values[j]));
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
        for (SubstringTable t : tables) {
            b += t.bytes();
        }
        return b;
    }

    @Override
    public List<Neighbor> knn(long[] query, int k, float[] queryLatent) {
        HammingSearcher.check(codes, query, k);
        Result r = knnCandidates(query, k, null);
        return r.candidates().ranked(k, r.limit(), codes, queryLatent);
    }

    @Override
    public List<Neighbor> radius(long[] query, int r, float[] queryLatent) {
        HammingSearcher.check(codes, query, 1);
        if (r < 0) {
            throw new IllegalArgumentException("illegal radius " + r + ": must be >= 0");
        }
        return radiusCandidates(query, r, null).ranked(Integer.MAX_VALUE, r, codes, queryLatent);
    }

    /**
     * Verified candidates of one search and the distance up to which they are complete: every
     * code within {@code limit} is among the candidates (others may be too, farther).
     */
    record Result(Candidates candidates, int limit) {}

    /**
     * The candidates of an exact k-NN search: every code within the k-th nearest distance (ties
     * included), so a caller can rank them by its own tie-break. Fewer than k when there are fewer codes.
     *
     * @param live the ordinals that may be returned (the live entries of a segment with deletions), or null for all
     */
    Result knnCandidates(long[] query, int k, IntPredicate live) {
        Probe p = probe(query, k, live);
        while (true) {
            p.step();
            // Every code within the proven distance has been seen; stop once k of them are verified.
            int kth = p.search.acc.kth(p.target, p.proven());
            if (kth >= 0) {
                return new Result(p.candidates(), kth);
            }
            if (p.complete()) {
                return new Result(p.candidates(), p.search.acc.threshold());
            }
        }
    }

    /** A k-NN search over these codes that the caller advances one level at a time ({@link Probe#step}). */
    Probe probe(long[] query, int k, IntPredicate live) {
        return new Probe(query, k, live);
    }

    /**
     * An exact k-NN search that probes one substring distance s at a time, so that a caller can
     * run several (one per segment) side by side and stop them all once their union holds the k
     * nearest: after {@link #step()} every code within {@link #proven()} has been verified (or
     * dropped as farther than the running threshold). With deletions fewer than k may be live:
     * the search then probes on until it has seen every code (or scans), still exact. One thread.
     */
    final class Probe {
        private final Search search;
        private final long[] sub;
        private final int maxLen;
        private final int target;
        private double cost;
        private int level;
        private int proven = -1;

        private Probe(long[] query, int k, IntPredicate live) {
            this.target = Math.min(k, codes.size());
            this.search = new Search(query, codes.bits(), target, codes.bits(), seen.get(), live);
            this.sub = substrings(query);
            int longest = 0;
            for (int j = 0; j < layout.substrings(); j++) {
                longest = Math.max(longest, layout.length(j));
            }
            this.maxLen = longest;
            if (codes.size() == 0) {
                proven = codes.bits(); // nothing to see
            }
        }

        /** Every code within this distance has been seen (-1 before the first step). */
        int proven() {
            return proven;
        }

        /** Whether every code has been seen. */
        boolean complete() {
            return proven >= codes.bits();
        }

        /** Probes the next substring distance, or verifies every code when that costs less than the probes so far (still exact). */
        void step() {
            if (complete()) {
                return;
            }
            cost += levelCost(level);
            if (cost > codes.size()) {
                // Verifying this many candidates costs more than a scan: verify every code instead, as MIH implementations do.
                scanAll(search);
                proven = codes.bits();
                return;
            }
            probe(sub, level, search);
            // Every code within m (s + 1) - 1 has been seen; after the longest substring's length, every code.
            proven = level >= maxLen ? codes.bits() : (int) Math.min(codes.bits(), (long) layout.substrings() * (level + 1) - 1);
            level++;
        }

        /** No code farther than {@code d} is wanted any more (the k-th distance of the union): later candidates beyond it are dropped. */
        void limit(int d) {
            search.acc.limit(d);
        }

        /** How many verified candidates lie at distance d (the candidates' histogram; may include ones beyond a later limit). */
        int countAt(int d) {
            return search.acc.countAt(d);
        }

        /** The largest distance still accepted. */
        int threshold() {
            return search.acc.threshold();
        }

        Candidates candidates() {
            return search.acc.candidates;
        }
    }

    /**
     * The candidates of an exact radius search: every code within r, and possibly others farther.
     *
     * @param live the ordinals that may be returned, or null for all
     */
    Candidates radiusCandidates(long[] query, int r, IntPredicate live) {
        Search st = new Search(query, codes.bits(), Integer.MAX_VALUE, Math.min(r, codes.bits()), seen.get(), live);
        long[] sub = substrings(query);
        int maxS = r / layout.substrings();
        double cost = 0;
        for (int s = 0; s <= maxS; s++) {
            cost += levelCost(s);
            if (cost > codes.size()) {
                scanAll(st);
                break;
            }
            probe(sub, s, st);
        }
        return st.acc.candidates;
    }

    /**
     * The cost model of the scan fallback, in units of one code of a sequential scan: a bucket
     * lookup is a cache miss (about 100 codes' worth of scanning on the benchmark machine), a
     * candidate verified from a bucket's inline codes about 4. Exactness does not depend on it.
     */
    static final double LOOKUP_COST = 100;
    static final double CANDIDATE_COST = 4;

    private long[] substrings(long[] query) {
        long[] permuted = layout.permute(query, 0, new long[codes.words()]);
        long[] sub = new long[layout.substrings()];
        for (int j = 0; j < sub.length; j++) {
            sub[j] = SubstringLayout.extract(permuted, 0, layout.start(j), layout.length(j));
        }
        return sub;
    }

    /** Expected cost of probing level s: C(len_j, s) lookups per table, each with n / 2^len_j candidates on average. */
    private double levelCost(int s) {
        double total = 0;
        for (int j = 0; j < layout.substrings(); j++) {
            double lookups = binomial(layout.length(j), s);
            total += lookups * (LOOKUP_COST + CANDIDATE_COST * codes.size() / Math.pow(2, layout.length(j)));
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

    private void scanAll(Search st) {
        long[] data = codes.data();
        long[] q = st.query;
        int words = codes.words();
        int n = codes.size();
        int threshold = st.acc.threshold();
        for (int i = 0; i < n; i++) {
            int d;
            if (words == 1) {
                d = Long.bitCount(data[i] ^ q[0]);
            } else {
                d = 0;
                for (int w = 0; w < words; w++) {
                    d += Long.bitCount(data[i * words + w] ^ q[w]);
                }
            }
            if (d <= threshold && st.accepts(i) && st.visited.mark(i)) {
                st.acc.accept(i, d);
                threshold = st.acc.threshold();
            }
        }
    }

    /** Probes every table at substring distance exactly s, verifying candidates. */
    private void probe(long[] sub, int s, Search st) {
        for (int j = 0; j < tables.length; j++) {
            SubstringTable t = tables[j];
            SubstringLayout.forEachAtDistance(sub[j], layout.length(j), s, value -> t.verify(value, st));
        }
    }

    /** One query: its code, the visited marks, the accumulator and which ordinals it may return. */
    static final class Search {
        final long[] query;
        final Seen visited;
        final KnnAccumulator acc;
        /** Null: every ordinal. */
        private final IntPredicate live;

        Search(long[] query, int bits, int k, int threshold, Seen visited, IntPredicate live) {
            this.query = query;
            this.acc = new KnnAccumulator(bits, k, threshold);
            this.visited = visited;
            this.live = live;
            visited.next();
        }

        boolean accepts(int ordinal) {
            return live == null || live.test(ordinal);
        }
    }

    /** Per-thread visited marks with generation stamps: no clearing between queries. */
    static final class Seen {
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
}
