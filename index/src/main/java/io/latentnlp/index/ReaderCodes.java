package io.latentnlp.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiDocValues;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.OrdinalMap;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IntroSorter;
import org.apache.lucene.util.LongValues;

/**
 * The in-memory search structures of one Lucene reader of a {@link HashIndex}: per level, the live
 * codes read from the code doc values ({@link IndexSchema}) of every segment (skipping deleted entries), the global doc
 * id of each, and a {@link MultiIndexHash} over them with a layout that {@link LayoutPlanner}
 * chose for these codes. Ordinals follow the index's tie-break order (text id, then position), so
 * {@link MultiIndexHash}'s own ranking (distance, cosine, ordinal) is the index's ranking and only
 * the hits returned need their ids read. Built when a reader is first searched; a reader is
 * a fixed point-in-time view, so the structures stay exact for it (merges, deletions and new
 * segments make a new reader and new structures). Immutable; thread-safe for searching.
 *
 * <p>Memory per live code: 8 bytes per 64 bits of code (packed codes) + 4 (doc id) + per table
 * 4 (ordinal) + 8 per 64 bits (a copy of the code in bucket order) + dense offsets (4 * 2^len per
 * table, amortized), + 4 per searching thread (visited marks).
 */
final class ReaderCodes {

    /** One level's codes and index. */
    record LevelCodes(PackedCodes codes, int[] docs, MultiIndexHash mih, LayoutPlanner.Plan plan) {
        /** Bytes held: codes, doc ids and tables. */
        long bytes() {
            return codes.codeBytes() + 4L * docs.length + mih.tableBytes();
        }
    }

    final IndexReader reader;
    private final LevelCodes[] levels;
    /** Seconds spent reading codes from doc values, and planning and building the tables. */
    final double loadSeconds;
    final double buildSeconds;

    private ReaderCodes(IndexReader reader, LevelCodes[] levels, double loadSeconds, double buildSeconds) {
        this.reader = reader;
        this.levels = levels;
        this.loadSeconds = loadSeconds;
        this.buildSeconds = buildSeconds;
    }

    LevelCodes level(Level level) {
        return levels[level.ordinal()];
    }

    long bytes() {
        return Arrays.stream(levels).mapToLong(LevelCodes::bytes).sum();
    }

    /**
     * Reads and indexes the live codes of {@code reader}.
     *
     * @param fixedSubstrings m for every level, or 0 to let {@link LayoutPlanner} choose per level
     */
    static ReaderCodes build(IndexReader reader, int bits, int fixedSubstrings, String where) throws IOException {
        Level[] all = Level.values();
        LevelCodes[] levels = new LevelCodes[all.length];
        double load = 0;
        double build = 0;
        SortedDocValues globalIds = MultiDocValues.getSortedValues(reader, IndexSchema.ID_SORT);
        OrdinalMap ordinalMap = globalIds instanceof MultiDocValues.MultiSortedDocValues multi ? multi.mapping : null;
        List<LeafReaderContext> leaves = reader.leaves();
        int words = (bits + 63) >>> 6;
        for (Level level : all) {
            long t0 = System.nanoTime();
            // Each leaf fills its own slice (its 'kind' term count, deleted entries included),
            // leaves in parallel; the slices are then closed up in leaf order.
            int[] start = new int[leaves.size() + 1];
            for (int l = 0; l < leaves.size(); l++) {
                start[l + 1] = start[l] + leaves.get(l).reader().docFreq(new Term(IndexSchema.KIND, level.label()));
            }
            long[] data = new long[Math.max(1, start[leaves.size()]) * words];
            int[] docs = new int[start[leaves.size()]];
            long[] keys = new long[start[leaves.size()]]; // global id ordinal << 32 | (position + 1)
            int[] filled = new int[leaves.size()];
            try {
                java.util.stream.IntStream.range(0, leaves.size()).parallel().forEach(l -> {
                    try {
                        filled[l] = loadLeaf(leaves.get(l), level, ordinalMap, words, data, docs, keys, start[l], start[l + 1], where);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            int size = 0;
            for (int l = 0; l < leaves.size(); l++) {
                System.arraycopy(data, start[l] * words, data, size * words, filled[l] * words);
                System.arraycopy(docs, start[l], docs, size, filled[l]);
                System.arraycopy(keys, start[l], keys, size, filled[l]);
                size += filled[l];
            }
            PackedCodes codes = PackedCodes.wrap(bits, data, size);
            sortByKey(keys, docs, codes);
            long t1 = System.nanoTime();
            LayoutPlanner.Plan plan = LayoutPlanner.plan(codes, fixedSubstrings);
            MultiIndexHash mih = new MultiIndexHash(codes, plan.layout());
            long t2 = System.nanoTime();
            load += (t1 - t0) / 1e9;
            build += (t2 - t1) / 1e9;
            levels[level.ordinal()] = new LevelCodes(codes, Arrays.copyOf(docs, codes.size()), mih, plan);
        }
        return new ReaderCodes(reader, levels, load, build);
    }

    /** Reads one leaf's live codes of a level into [from, to) of the arrays; returns how many. */
    private static int loadLeaf(LeafReaderContext leaf, Level level, OrdinalMap ordinalMap, int words, long[] data, int[] docs, long[] keys,
            int from, int to, String where) throws IOException {
        LeafReader r = leaf.reader();
        BinaryDocValues values = r.getBinaryDocValues(IndexSchema.codeField(level));
        if (values == null) {
            return 0;
        }
        SortedDocValues ids = r.getSortedDocValues(IndexSchema.ID_SORT);
        NumericDocValues positions = r.getNumericDocValues(IndexSchema.POS);
        LongValues toGlobal = ordinalMap == null ? null : ordinalMap.getGlobalOrds(leaf.ord);
        Bits live = r.getLiveDocs();
        int at = from;
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            if (live != null && !live.get(doc)) {
                continue;
            }
            BytesRef ref = values.binaryValue();
            if (ref.length != words * Long.BYTES) {
                throw new IOException("document " + (leaf.docBase + doc) + " of " + where + " has a code of " + ref.length + " bytes, not "
                        + words * Long.BYTES + "; the index is damaged");
            }
            if (at >= to) {
                throw new IOException(where + " holds more " + level.label() + " codes than '" + IndexSchema.KIND + "' terms; the index is damaged");
            }
            IndexSchema.decodeWords(ref, words, data, at * words);
            docs[at] = leaf.docBase + doc;
            if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
                throw new IOException("document " + (leaf.docBase + doc) + " of " + where + " has no id or position doc values; the index is damaged");
            }
            long ord = toGlobal == null ? ids.ordValue() : toGlobal.get(ids.ordValue());
            keys[at] = ord << 32 | (positions.longValue() + 1);
            at++;
        }
        return at - from;
    }

    /** Puts codes and doc ids in ascending key order (a no-op when they already are, as after bulk loading in id order). */
    private static void sortByKey(long[] keys, int[] docs, PackedCodes codes) {
        int n = codes.size();
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = keys[i - 1] < keys[i];
        }
        if (sorted) {
            return;
        }
        long[] data = codes.data();
        int words = codes.words();
        new IntroSorter() {
            private long pivot;

            @Override
            protected void setPivot(int i) {
                pivot = keys[i];
            }

            @Override
            protected int comparePivot(int j) {
                return Long.compare(pivot, keys[j]);
            }

            @Override
            protected int compare(int i, int j) {
                return Long.compare(keys[i], keys[j]);
            }

            @Override
            protected void swap(int i, int j) {
                long k = keys[i];
                keys[i] = keys[j];
                keys[j] = k;
                int d = docs[i];
                docs[i] = docs[j];
                docs[j] = d;
                for (int w = 0; w < words; w++) {
                    long c = data[i * words + w];
                    data[i * words + w] = data[j * words + w];
                    data[j * words + w] = c;
                }
            }
        }.sort(0, n);
    }
}
