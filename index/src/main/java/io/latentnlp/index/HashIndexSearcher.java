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
import org.apache.lucene.util.BytesRef;

/**
 * The search side of a {@link HashIndex}: k-NN and radius queries over the in-memory structures
 * of the current reader ({@link ReaderCodes}: one {@link SegmentCodes} per segment, built when a
 * segment is first searched and reused by later readers while the segment lives, so a refresh
 * after a small commit builds only the new segments). Each segment answers its own top k, live
 * entries only, ranked by distance, latent cosine (latents read from doc values) and ordinal (=
 * id and position); the answers are merged by the same ranking (as {@link ShardedHashIndex}
 * merges shards), so results equal those of the same texts in one segment. Hits are read from
 * the hit doc values. Also the id lookups and stats of the searchable state.
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
            ReaderCodes structures = structures(searcher.getIndexReader());
            long[] q = query.words();
            // Each segment answers its own top k in the index's ranking; the union holds the
            // global top k (as ShardedHashIndex merges shards), merged by the same ranking.
            KnnRun run = radius >= 0 ? null : knnRun(structures, level, q, k);
            List<SegmentNeighbor> union = new ArrayList<>();
            for (int l = 0; l < structures.size(); l++) {
                LeafReaderContext leaf = structures.leaves().get(l);
                SegmentCodes.LevelCodes codes = structures.segment(l).level(level);
                Candidates c = radius >= 0 ? codes.mih().radiusCandidates(q, radius, codes.live(leaf.reader().getLiveDocs())) : run.probes()[l].candidates();
                int limit = radius >= 0 ? Math.min(radius, identity.bits()) : run.limit();
                int cut = radius >= 0 ? Integer.MAX_VALUE : k;
                // Ordinals follow (id, position), so the in-memory ranking is the index's ranking within a segment.
                List<Neighbor> ranked = queryLatent == null ? c.ranked(cut, limit, codes.codes(), null) : rankWithLatents(leaf, level, codes, c, limit, cut, queryLatent);
                for (Neighbor nb : ranked) {
                    union.add(new SegmentNeighbor(l, nb));
                }
            }
            return merge(structures, level, union, k);
        } finally {
            searchers.release(searcher);
        }
    }

    /** A neighbour found in the segment of leaf {@code leaf}. */
    private record SegmentNeighbor(int leaf, Neighbor neighbor) {}

    /** The k-NN probes of every segment, and the distance within which their candidates hold the k nearest of the index (ties included). */
    private record KnnRun(MultiIndexHash.Probe[] probes, int limit) {}

    /**
     * Exact k-NN over every segment at once: the segments' multi-index hashing probes advance side
     * by side, always the one that has proven the least (every code within its {@link
     * MultiIndexHash.Probe#proven()} seen), until k candidates of the union lie within the least
     * proven distance of all: the union then holds every code within the k-th distance. The k-th
     * distance found so far caps every probe's threshold, so no segment verifies farther than the
     * index as a whole needs (as one set of tables over all codes would).
     */
    private KnnRun knnRun(ReaderCodes structures, Level level, long[] q, int k) {
        int n = structures.size();
        int bits = identity.bits();
        MultiIndexHash.Probe[] probes = new MultiIndexHash.Probe[n];
        for (int l = 0; l < n; l++) {
            SegmentCodes.LevelCodes codes = structures.segment(l).level(level);
            probes[l] = codes.mih().probe(q, k, codes.live(structures.leaves().get(l).reader().getLiveDocs()));
        }
        while (true) {
            int next = -1;
            int leastProven = bits;
            int leastThreshold = bits;
            for (int l = 0; l < n; l++) {
                if (!probes[l].complete() && probes[l].proven() < leastProven) {
                    leastProven = probes[l].proven();
                    next = l;
                }
                leastThreshold = Math.min(leastThreshold, probes[l].threshold());
            }
            int kth = kthDistance(probes, k, leastProven);
            if (kth >= 0) {
                return new KnnRun(probes, kth);
            }
            if (next < 0) {
                return new KnnRun(probes, bits); // every code seen, fewer than k live
            }
            probes[next].step();
            int cap = kthDistance(probes, k, Math.max(leastThreshold, probes[next].threshold()));
            if (cap >= 0) {
                for (MultiIndexHash.Probe p : probes) {
                    p.limit(cap);
                }
            }
        }
    }

    /** The distance of the k-th nearest candidate of all probes if it is at most {@code upTo}, else -1. */
    private static int kthDistance(MultiIndexHash.Probe[] probes, int k, int upTo) {
        int seen = 0;
        for (int d = 0; d <= upTo; d++) {
            for (MultiIndexHash.Probe p : probes) {
                seen += p.countAt(d);
            }
            if (seen >= k) {
                return d;
            }
        }
        return -1;
    }


    /**
     * The k best of every segment's own ranked answers. Segments rank their entries alike
     * (distance, cosine, then id and position), so only entries tied with the k-th on distance and
     * cosine need their ids to be ordered: the hit values of those and of the ones ahead of it are
     * read, sorted by the full ranking (ids compared as UTF-8 bytes: Lucene's term order, the
     * order within a segment) and cut to k; only the k kept are decoded.
     */
    private List<Hit> merge(ReaderCodes structures, Level level, List<SegmentNeighbor> union, int k) throws IOException {
        if (structures.size() == 1) {
            return hits(structures, level, union, values(structures, level, union)); // one segment's answer is ranked already
        }
        Comparator<SegmentNeighbor> byDistanceThenCosine = (a, b) -> Candidates.compareDistanceThenCosine(a.neighbor().distance(), a.neighbor().cosine(),
                b.neighbor().distance(), b.neighbor().cosine());
        union.sort(byDistanceThenCosine);
        int cut = union.size();
        if (union.size() > k) {
            SegmentNeighbor kth = union.get(k - 1);
            cut = k;
            while (cut < union.size() && byDistanceThenCosine.compare(union.get(cut), kth) == 0) {
                cut++;
            }
        }
        List<SegmentNeighbor> kept = union.subList(0, cut);
        BytesRef[] values = values(structures, level, kept);
        Integer[] order = new Integer[cut];
        for (int i = 0; i < cut; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            int c = byDistanceThenCosine.compare(kept.get(x), kept.get(y));
            return c != 0 ? c : HitValue.compareIdThenPosition(values[x], values[y]);
        });
        int n = Math.min(k, cut);
        List<SegmentNeighbor> top = new ArrayList<>(n);
        BytesRef[] topValues = new BytesRef[n];
        for (int i = 0; i < n; i++) {
            top.add(kept.get(order[i]));
            topValues[i] = values[order[i]];
        }
        return hits(structures, level, top, topValues);
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

    /**
     * The candidates of one segment within {@code limit} ranked by distance, latent cosine
     * (latents read from the segment's doc values, in doc order), then ordinal (= id and
     * position), cut to k.
     */
    private static List<Neighbor> rankWithLatents(LeafReaderContext leaf, Level level, SegmentCodes.LevelCodes codes, Candidates c, int limit, int k,
            float[] queryLatent) throws IOException {
        int[] docs = codes.docs();
        int[] within = java.util.stream.IntStream.range(0, c.size()).filter(i -> c.distance(i) <= limit)
                .boxed().sorted(Comparator.comparingInt(i -> docs[c.ordinal(i)])).mapToInt(Integer::intValue).toArray();
        BinaryDocValues latents = leaf.reader().getBinaryDocValues(IndexSchema.latentField(level));
        List<Neighbor> rows = new ArrayList<>(within.length);
        for (int i : within) {
            float[] latent = latents != null && latents.advanceExact(docs[c.ordinal(i)]) ? IndexSchema.decodeFloats(latents.binaryValue()) : null;
            rows.add(new Neighbor(c.ordinal(i), c.distance(i), Candidates.cosine(queryLatent, latent)));
        }
        rows.sort(Candidates.ORDER);
        return rows.size() > k ? rows.subList(0, k) : rows;
    }

    /**
     * The hit values (id, position, text: {@link HitValue}) of neighbours, in their order, copied;
     * read per segment in doc order (doc values iterators only go forward).
     */
    private BytesRef[] values(ReaderCodes structures, Level level, List<SegmentNeighbor> ranked) throws IOException {
        int n = ranked.size();
        int[] docs = new int[n];
        for (int i = 0; i < n; i++) {
            SegmentNeighbor sn = ranked.get(i);
            docs[i] = structures.segment(sn.leaf()).level(level).docs()[sn.neighbor().ordinal()];
        }
        int[] byDoc = java.util.stream.IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> ranked.get(i).leaf()).thenComparingInt(i -> docs[i])).mapToInt(Integer::intValue).toArray();
        BytesRef[] values = new BytesRef[n];
        int leafIndex = -1;
        BinaryDocValues hitValues = null;
        for (int i : byDoc) {
            if (ranked.get(i).leaf() != leafIndex) {
                leafIndex = ranked.get(i).leaf();
                hitValues = structures.leaves().get(leafIndex).reader().getBinaryDocValues(IndexSchema.hitField(level));
            }
            values[i] = hitValues != null && hitValues.advanceExact(docs[i]) ? BytesRef.deepCopyOf(hitValues.binaryValue())
                    : earlierFormat(structures.leaves().get(leafIndex), docs[i]);
        }
        return values;
    }

    /** Hits of ranked neighbours from their hit values. */
    private List<Hit> hits(ReaderCodes structures, Level level, List<SegmentNeighbor> ranked, BytesRef[] values) {
        List<Hit> hits = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            SegmentNeighbor sn = ranked.get(i);
            HitValue v = HitValue.decode(values[i]);
            PackedCodes codes = structures.segment(sn.leaf()).level(level).codes();
            hits.add(new Hit(v.id(), v.position(), sn.neighbor().distance(), sn.neighbor().cosine(), v.text(),
                    SemanticHash.fromWords(codes.code(sn.neighbor().ordinal()), identity.bits())));
        }
        return hits;
    }

    /** The hit value (id, position, text) of an entry of an index written before the hit doc values existed. */
    private BytesRef earlierFormat(LeafReaderContext leaf, int doc) throws IOException {
        SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.ID_SORT);
        NumericDocValues positions = leaf.reader().getNumericDocValues(IndexSchema.POS);
        if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
            throw new IllegalStateException("document " + (leaf.docBase + doc) + " of " + path + " has no id or position doc values; the index is damaged");
        }
        String text = leaf.reader().storedFields().document(doc, IndexSchema.TEXT_ONLY).get(IndexSchema.TEXT);
        return HitValue.encode(ids.lookupOrd(ids.ordValue()).utf8ToString(), (int) positions.longValue(), text);
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
