package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * The search side of a {@link HashIndex}: k-NN and radius queries over the in-memory structures
 * of the current reader ({@link ReaderCodes}: one {@link SegmentCodes} per segment, built when a
 * segment is first searched and reused by later readers while the segment lives, so a refresh
 * after a small commit builds only the new segments), searched by {@link SegmentedSearch}: each
 * segment answers its own top k, live entries only, and the answers are merged exactly (as {@link
 * ShardedHashIndex} merges shards), so results equal those of the same texts in one segment. Also
 * the id lookups and stats of the searchable state.
 *
 * <p>Refresh policy: over a writer ({@code nearRealTime}) every search sees the writer's changes;
 * a reader of commits looks for a newer commit at most once a second. Thread-safe (the searcher
 * manager is; structures are built under a lock). Owns the searcher manager, not the directory.
 */
final class HashIndexSearcher {

    /** A reader looks for a newer commit at most this often; a writer sees its own changes at every search. */
    private static final long READER_REFRESH_NANOS = 1_000_000_000L;

    private final Path path;
    private final Directory directory;
    private final SearcherManager searchers;
    private final boolean nearRealTime;
    private final IndexIdentity identity;
    private final int substrings;
    private volatile long lastRefresh = System.nanoTime();
    /** The search structures of the newest reader seen, built on its first search from the segments' structures. */
    private volatile ReaderCodes structures;
    /** Every open segment core's structures, reused by every reader that holds the segment. */
    private final ReaderCodes.Cache segments = new ReaderCodes.Cache();
    private final SegmentedSearch segmented;

    HashIndexSearcher(Path path, Directory directory, SearcherManager searchers, boolean nearRealTime, IndexIdentity identity, int substrings) {
        this.path = path;
        this.directory = directory;
        this.searchers = searchers;
        this.nearRealTime = nearRealTime;
        this.identity = identity;
        this.substrings = substrings;
        this.segmented = new SegmentedSearch(path, identity);
    }

    List<Hit> knn(Level level, SemanticHash query, int k, float[] queryLatent) throws IOException {
        IndexSchema.checkCode(query, "query", identity, path);
        if (k < 1) {
            throw new IllegalArgumentException("illegal k " + k + ": must be at least 1");
        }
        return search(level, query, k, -1, queryLatent);
    }

    List<Hit> radius(Level level, SemanticHash query, int r, float[] queryLatent) throws IOException {
        IndexSchema.checkCode(query, "query", identity, path);
        if (r < 0) {
            throw new IllegalArgumentException("illegal radius " + r + ": must be >= 0");
        }
        return search(level, query, Integer.MAX_VALUE, r, queryLatent);
    }

    private List<Hit> search(Level level, SemanticHash query, int k, int radius, float[] queryLatent) throws IOException {
        refresh();
        IndexSearcher searcher = searchers.acquire();
        try {
            return segmented.search(structures(searcher.getIndexReader()), level, query, k, radius, queryLatent);
        } finally {
            searchers.release(searcher);
        }
    }

    private void refresh() throws IOException {
        if (nearRealTime) {
            searchers.maybeRefresh();
        } else if (System.nanoTime() - lastRefresh > READER_REFRESH_NANOS) {
            // Checking costs a directory listing and a read of the newest segments file (about
            // 1 ms), more than a search: at most once a second.
            lastRefresh = System.nanoTime();
            searchers.maybeRefresh();
        }
    }

    /** Over a writer, makes its changes so far visible; a reader of commits keeps its reader. */
    private void refreshIfNearRealTime() throws IOException {
        if (nearRealTime) {
            searchers.maybeRefreshBlocking();
        }
    }

    private ReaderCodes structures(IndexReader reader) throws IOException {
        ReaderCodes c = structures;
        if (c != null && c.reader == reader) {
            return c;
        }
        synchronized (this) {
            c = structures;
            if (c == null || c.reader != reader) {
                c = ReaderCodes.of(reader, segments, identity.bits(), substrings, path.toString());
                structures = c;
            }
            return c;
        }
    }

    /** The structures of the current searchable state, built where missing (for tests: which segments were reused). */
    ReaderCodes currentStructures() throws IOException {
        refreshIfNearRealTime();
        IndexSearcher searcher = searchers.acquire();
        try {
            return structures(searcher.getIndexReader());
        } finally {
            searchers.release(searcher);
        }
    }

    HashIndex.SearchStructures searchStructures() throws IOException {
        refreshIfNearRealTime();
        IndexSearcher searcher = searchers.acquire();
        try {
            ReaderCodes c = structures(searcher.getIndexReader());
            SegmentCodes.LevelCodes largestDocuments = null;
            SegmentCodes.LevelCodes largestSentences = null;
            int documents = 0;
            int sentences = 0;
            double load = 0;
            double build = 0;
            for (int l = 0; l < c.size(); l++) {
                SegmentCodes segment = c.segment(l);
                SegmentCodes.LevelCodes d = segment.level(Level.DOCUMENT);
                SegmentCodes.LevelCodes s = segment.level(Level.SENTENCE);
                var live = c.leaves().get(l).reader().getLiveDocs();
                documents += d.liveCount(live);
                sentences += s.liveCount(live);
                largestDocuments = largestDocuments == null || d.docs().length > largestDocuments.docs().length ? d : largestDocuments;
                largestSentences = largestSentences == null || s.docs().length > largestSentences.docs().length ? s : largestSentences;
                load += segment.loadSeconds;
                build += segment.buildSeconds;
            }
            if (largestDocuments == null) { // no segment yet: the plan of no codes
                LayoutPlanner.Plan none = LayoutPlanner.plan(new PackedCodes(identity.bits(), 0), substrings);
                return new HashIndex.SearchStructures(none, none, 0, 0, 0, 0, 0);
            }
            return new HashIndex.SearchStructures(largestDocuments.plan(), largestSentences.plan(), documents, sentences, c.bytes(), load, build);
        } finally {
            searchers.release(searcher);
        }
    }


    /** Which of {@code ids} the searchable state holds as texts. */
    Set<String> existing(Collection<String> ids) throws IOException {
        refreshIfNearRealTime();
        IndexSearcher s = searchers.acquire();
        try {
            Set<String> found = new LinkedHashSet<>();
            for (String id : ids) {
                if (s.count(new TermQuery(new Term(IndexSchema.ID, id))) > 0) {
                    found.add(id);
                }
            }
            return found;
        } finally {
            searchers.release(s);
        }
    }

    /** The live ids of the searchable state; holds a reader until closed. */
    LiveIds liveIds() throws IOException {
        refreshIfNearRealTime();
        return new LiveIds(searchers);
    }

    /** Counts and sizes of the last refreshed state (a reader of commits refreshes too). */
    HashIndex.Stats stats() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            long bytes = 0;
            for (String f : directory.listAll()) {
                try {
                    bytes += directory.fileLength(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    // merged away meanwhile
                }
            }
            return new HashIndex.Stats(identity, substrings, s.count(new TermQuery(new Term(IndexSchema.KIND, Level.DOCUMENT.label()))),
                    s.count(new TermQuery(new Term(IndexSchema.KIND, Level.SENTENCE.label()))), s.getIndexReader().leaves().size(), bytes);
        } finally {
            searchers.release(s);
        }
    }

    /** Closes the searcher manager (the readers it holds). */
    void close() throws IOException {
        searchers.close();
    }
}
