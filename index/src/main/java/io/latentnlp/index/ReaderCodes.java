package io.latentnlp.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;

/**
 * The search structures of one Lucene reader of a {@link HashIndex}: one {@link SegmentCodes} per
 * segment, in leaf order. Segments are keyed by their core cache key
 * ({@code LeafReader.getCoreCacheHelper().getKey()}), which deletions do not change, so a reader
 * after a commit or refresh reuses the structures of every segment it shares with earlier readers
 * and builds only its new segments (flushed or merged); deletions are applied at query time
 * through each leaf's live docs. A segment's structures are dropped when Lucene closes its core.
 * Immutable; thread-safe for searching.
 */
final class ReaderCodes {

    /** Structures of the segment cores of readers still open, by core cache key; shared by the readers of one index. */
    static final class Cache {
        private final Map<Object, SegmentCodes> segments = new ConcurrentHashMap<>();

        /** Segments currently held (for tests and stats). */
        int size() {
            return segments.size();
        }
    }

    final IndexReader reader;
    private final List<LeafReaderContext> leaves;
    private final SegmentCodes[] segments;
    /** How many of the segments this reader built (the rest came from the cache). */
    final int built;

    private ReaderCodes(IndexReader reader, SegmentCodes[] segments, int built) {
        this.reader = reader;
        this.leaves = reader.leaves();
        this.segments = segments;
        this.built = built;
    }

    /** The leaves of the reader, in order; {@link #segment}(i) holds the structures of leaf i. */
    List<LeafReaderContext> leaves() {
        return leaves;
    }

    SegmentCodes segment(int leaf) {
        return segments[leaf];
    }

    int size() {
        return segments.length;
    }

    long bytes() {
        long b = 0;
        for (SegmentCodes s : segments) {
            b += s.bytes();
        }
        return b;
    }

    /**
     * The structures of {@code reader}: cached segments reused, the others built (in parallel)
     * and cached until their core closes.
     *
     * @param fixedSubstrings m for every level, or 0 to let {@link LayoutPlanner} choose per segment and level
     */
    static ReaderCodes of(IndexReader reader, Cache cache, int bits, int fixedSubstrings, String where) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        SegmentCodes[] segments = new SegmentCodes[leaves.size()];
        Object[] keys = new Object[leaves.size()];
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int l = 0; l < leaves.size(); l++) {
            var helper = leaves.get(l).reader().getCoreCacheHelper();
            keys[l] = helper == null ? null : helper.getKey();
            segments[l] = keys[l] == null ? null : cache.segments.get(keys[l]);
            if (segments[l] == null) {
                missing.add(l);
            }
        }
        try {
            missing.parallelStream().forEach(l -> {
                try {
                    LeafReaderContext leaf = leaves.get(l);
                    segments[l] = SegmentCodes.build(leaf.reader(), leaf.docBase, bits, fixedSubstrings, where);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (int l : missing) {
            if (keys[l] != null && cache.segments.putIfAbsent(keys[l], segments[l]) == null) {
                // Dropped with the core: once every reader sharing the segment has closed, nothing can search it.
                leaves.get(l).reader().getCoreCacheHelper().addClosedListener(cache.segments::remove);
            }
        }
        return new ReaderCodes(reader, segments, missing.size());
    }
}
