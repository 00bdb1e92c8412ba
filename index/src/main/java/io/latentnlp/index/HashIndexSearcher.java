package io.latentnlp.index;

import io.latentnlp.models.SemanticHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * The search side of a {@link HashIndex}: k-NN and radius queries over the in-memory structures
 * of the current reader ({@link ReaderCodes}, built on a reader's first search), ranked by
 * distance, latent cosine (latents read from doc values) and ordinal (= id and position), with
 * hits read from the hit doc values; also the id lookups and stats of the searchable state.
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
    /** The search structures of the newest reader seen, built on its first search. */
    private volatile ReaderCodes structures;

    HashIndexSearcher(Path path, Directory directory, SearcherManager searchers, boolean nearRealTime, IndexIdentity identity, int substrings) {
        this.path = path;
        this.directory = directory;
        this.searchers = searchers;
        this.nearRealTime = nearRealTime;
        this.identity = identity;
        this.substrings = substrings;
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
            ReaderCodes.LevelCodes codes = structures(searcher.getIndexReader()).level(level);
            long[] q = query.words();
            List<Neighbor> ranked;
            if (queryLatent == null) {
                // Ordinals follow (id, position), so the in-memory ranking is the index's ranking.
                ranked = radius >= 0 ? codes.mih().radius(q, radius, null) : codes.mih().knn(q, k, null);
            } else if (radius >= 0) {
                ranked = rankWithLatents(searcher, level, codes, codes.mih().radiusCandidates(q, radius), Math.min(radius, identity.bits()), Integer.MAX_VALUE,
                        queryLatent);
            } else {
                MultiIndexHash.Result r = codes.mih().knnCandidates(q, k);
                ranked = rankWithLatents(searcher, level, codes, r.candidates(), r.limit(), k, queryLatent);
            }
            return hits(searcher, level, codes, ranked);
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
                c = ReaderCodes.build(reader, identity.bits(), substrings, path.toString());
                structures = c;
            }
            return c;
        }
    }

    HashIndex.SearchStructures searchStructures() throws IOException {
        refreshIfNearRealTime();
        IndexSearcher searcher = searchers.acquire();
        try {
            ReaderCodes c = structures(searcher.getIndexReader());
            ReaderCodes.LevelCodes d = c.level(Level.DOCUMENT);
            ReaderCodes.LevelCodes s = c.level(Level.SENTENCE);
            return new HashIndex.SearchStructures(d.plan(), s.plan(), d.codes().size(), s.codes().size(), c.bytes(), c.loadSeconds, c.buildSeconds);
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * The candidates within {@code limit} ranked by distance, latent cosine (latents read from doc
     * values, in doc order), then ordinal (= id and position), cut to k.
     */
    private List<Neighbor> rankWithLatents(IndexSearcher searcher, Level level, ReaderCodes.LevelCodes codes, Candidates c, int limit, int k,
            float[] queryLatent) throws IOException {
        int[] docs = codes.docs();
        int[] within = java.util.stream.IntStream.range(0, c.size()).filter(i -> c.distance(i) <= limit)
                .boxed().sorted(Comparator.comparingInt(i -> docs[c.ordinal(i)])).mapToInt(Integer::intValue).toArray();
        LeafWalk walk = new LeafWalk(searcher.getIndexReader().leaves(), IndexSchema.latentField(level));
        List<Neighbor> rows = new ArrayList<>(within.length);
        for (int i : within) {
            BinaryDocValues latents = walk.advanceTo(docs[c.ordinal(i)]);
            float[] latent = latents != null && latents.advanceExact(walk.doc) ? IndexSchema.decodeFloats(latents.binaryValue()) : null;
            rows.add(new Neighbor(c.ordinal(i), c.distance(i), Candidates.cosine(queryLatent, latent)));
        }
        rows.sort(Candidates.ORDER);
        return rows.size() > k ? rows.subList(0, k) : rows;
    }

    /**
     * Hits of ranked neighbours: id, position and text read for these entries only, in doc order
     * (doc values iterators only go forward, and one per leaf is cheaper than one per hit).
     */
    private List<Hit> hits(IndexSearcher searcher, Level level, ReaderCodes.LevelCodes codes, List<Neighbor> ranked) throws IOException {
        int n = ranked.size();
        int[] docs = new int[n];
        for (int i = 0; i < n; i++) {
            docs[i] = codes.docs()[ranked.get(i).ordinal()];
        }
        int[] byDoc = java.util.stream.IntStream.range(0, n).boxed().sorted(Comparator.comparingInt(i -> docs[i])).mapToInt(Integer::intValue).toArray();
        HitValue[] values = new HitValue[n];
        LeafWalk walk = new LeafWalk(searcher.getIndexReader().leaves(), IndexSchema.hitField(level));
        for (int i : byDoc) {
            BinaryDocValues hitValues = walk.advanceTo(docs[i]);
            values[i] = hitValues != null && hitValues.advanceExact(walk.doc) ? HitValue.decode(hitValues.binaryValue())
                    : earlierFormat(searcher, walk.leaf, walk.doc);
        }
        List<Hit> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Neighbor nb = ranked.get(i);
            hits.add(new Hit(values[i].id(), values[i].position(), nb.distance(), nb.cosine(), values[i].text(),
                    SemanticHash.fromWords(codes.codes().code(nb.ordinal()), identity.bits())));
        }
        return hits;
    }

    /**
     * A forward walk over the leaves of a reader by ascending global doc id, holding the current
     * leaf's binary doc values of one field (null when the leaf has none).
     */
    private static final class LeafWalk {
        private final List<LeafReaderContext> leaves;
        private final String field;
        private int leafIndex = -1;
        private BinaryDocValues values;
        LeafReaderContext leaf;
        /** The doc id within {@link #leaf} of the last {@link #advanceTo} target. */
        int doc;

        LeafWalk(List<LeafReaderContext> leaves, String field) {
            this.leaves = leaves;
            this.field = field;
        }

        /** Moves to the leaf of {@code global} (not below the last target) and returns its doc values. */
        BinaryDocValues advanceTo(int global) throws IOException {
            while (leaf == null || global >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(++leafIndex);
                values = leaf.reader().getBinaryDocValues(field);
            }
            doc = global - leaf.docBase;
            return values;
        }
    }

    /** Id, position and text of an entry of an index written before the hit doc values existed. */
    private HitValue earlierFormat(IndexSearcher searcher, LeafReaderContext leaf, int doc) throws IOException {
        SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.ID_SORT);
        NumericDocValues positions = leaf.reader().getNumericDocValues(IndexSchema.POS);
        if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
            throw new IllegalStateException("document " + (leaf.docBase + doc) + " of " + path + " has no id or position doc values; the index is damaged");
        }
        String text = searcher.storedFields().document(leaf.docBase + doc, IndexSchema.TEXT_ONLY).get(IndexSchema.TEXT);
        return new HitValue(ids.lookupOrd(ids.ordValue()).utf8ToString(), (int) positions.longValue(), text);
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
