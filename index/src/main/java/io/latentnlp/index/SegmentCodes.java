package io.latentnlp.index;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IntroSorter;

/**
 * The in-memory search structures of one Lucene segment of a {@link HashIndex}, per level: every
 * code of the level in the segment read from the code doc values ({@link IndexSchema}), the
 * segment-local doc id of each, and a {@link MultiIndexHash} over them with a layout that {@link
 * LayoutPlanner} chose for these codes. Deleted entries are kept: deletions change a segment's
 * live docs, not its core, so the structures stay valid for as long as the core lives and
 * searches skip deleted entries through the live docs of the reader they search ({@link #live}).
 * Ordinals follow the segment's tie-break order (text id in Lucene's term order, then position),
 * so {@link MultiIndexHash}'s own ranking (distance, cosine, ordinal) is the index's ranking within
 * the segment. Keyed by the segment's core cache key ({@link ReaderCodes} reuses it across
 * readers). Immutable; thread-safe for searching.
 *
 * <p>Memory per code: 8 bytes per 64 bits of code (packed codes) + 4 (doc id) + per table 4
 * (ordinal) + 8 per 64 bits (a copy of the code in bucket order) + dense offsets (4 * 2^len per
 * table, amortized), + 4 per searching thread (visited marks).
 */
final class SegmentCodes {

    /** One level's codes and index. */
    record LevelCodes(PackedCodes codes, int[] docs, MultiIndexHash mih, LayoutPlanner.Plan plan) {
        /** Bytes held: codes, doc ids and tables. */
        long bytes() {
            return codes.codeBytes() + 4L * docs.length + mih.tableBytes();
        }

        /**
         * Which ordinals a search of a reader with these live docs may return: null (all) when
         * nothing is deleted, else the ordinals whose doc is live.
         */
        java.util.function.IntPredicate live(Bits liveDocs) {
            return liveDocs == null ? null : ordinal -> liveDocs.get(docs[ordinal]);
        }

        /** How many of the codes are live under {@code liveDocs} (null: all). */
        int liveCount(Bits liveDocs) {
            if (liveDocs == null) {
                return docs.length;
            }
            int n = 0;
            for (int d : docs) {
                if (liveDocs.get(d)) {
                    n++;
                }
            }
            return n;
        }
    }

    private final LevelCodes[] levels;
    /** Seconds spent reading codes from doc values, and planning and building the tables. */
    final double loadSeconds;
    final double buildSeconds;

    private SegmentCodes(LevelCodes[] levels, double loadSeconds, double buildSeconds) {
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
     * Reads and indexes every code of one segment, deleted entries included.
     *
     * @param docBase the segment's first global doc id, for messages only
     * @param fixedSubstrings m for every level, or 0 to let {@link LayoutPlanner} choose per level
     */
    static SegmentCodes build(LeafReader segment, int docBase, int bits, int fixedSubstrings, String where) throws IOException {
        Level[] all = Level.values();
        LevelCodes[] levels = new LevelCodes[all.length];
        double load = 0;
        double build = 0;
        int words = (bits + 63) >>> 6;
        for (Level level : all) {
            long t0 = System.nanoTime();
            // The 'kind' term's count bounds the level's entries (deleted ones included).
            int capacity = segment.docFreq(new Term(IndexSchema.KIND, level.label()));
            long[] data = new long[Math.max(1, capacity) * words];
            int[] docs = new int[capacity];
            long[] keys = new long[capacity]; // id ordinal << 32 | (position + 1)
            int size = load(segment, docBase, level, words, data, docs, keys, where);
            PackedCodes codes = PackedCodes.wrap(bits, data, size);
            sortByKey(keys, docs, codes);
            long t1 = System.nanoTime();
            LayoutPlanner.Plan plan = LayoutPlanner.plan(codes, fixedSubstrings);
            MultiIndexHash mih = new MultiIndexHash(codes, plan.layout());
            long t2 = System.nanoTime();
            load += (t1 - t0) / 1e9;
            build += (t2 - t1) / 1e9;
            levels[level.ordinal()] = new LevelCodes(codes, Arrays.copyOf(docs, size), mih, plan);
        }
        return new SegmentCodes(levels, load, build);
    }

    /** Reads one level's codes of a segment into the arrays; returns how many. */
    private static int load(LeafReader r, int docBase, Level level, int words, long[] data, int[] docs, long[] keys, String where) throws IOException {
        BinaryDocValues values = r.getBinaryDocValues(IndexSchema.codeField(level));
        if (values == null) {
            return 0;
        }
        SortedDocValues ids = r.getSortedDocValues(IndexSchema.ID_SORT);
        NumericDocValues positions = r.getNumericDocValues(IndexSchema.POS);
        int at = 0;
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            BytesRef ref = values.binaryValue();
            if (ref.length != words * Long.BYTES) {
                throw new IOException("document " + (docBase + doc) + " of " + where + " has a code of " + ref.length + " bytes, not "
                        + words * Long.BYTES + "; the index is damaged");
            }
            if (at >= docs.length) {
                throw new IOException(where + " holds more " + level.label() + " codes than '" + IndexSchema.KIND + "' terms; the index is damaged");
            }
            IndexSchema.decodeWords(ref, words, data, at * words);
            docs[at] = doc;
            if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
                throw new IOException("document " + (docBase + doc) + " of " + where + " has no id or position doc values; the index is damaged");
            }
            keys[at] = (long) ids.ordValue() << 32 | (positions.longValue() + 1);
            at++;
        }
        return at;
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
