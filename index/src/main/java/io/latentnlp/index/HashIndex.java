package io.latentnlp.index;

import io.latentnlp.models.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * A semantic-hash index of documents and their sentences on Lucene, searched exactly in Hamming
 * space by multi-index hashing.
 *
 * <p>Each indexed text becomes a block of Lucene documents: one for the document (its id, text,
 * document code and latent) and one per sentence (parent id, position, character offsets, text,
 * code, latent). A code of b bits is cut into m substrings ({@link SubstringLayout}); each
 * substring is indexed as a term {@code j:value} of the level's substring field, and the full
 * code sits in binary doc values for verification. A k-NN query probes the terms at substring
 * distance s = 0, 1, ... and verifies candidates until the k-th distance is proven (every code
 * within m (s + 1) - 1 has been seen), falling back to verifying every code when probing would
 * cost more; radius r probes up to floor(r / m). Results are ranked by distance, then latent
 * cosine to the query (when both have latents), then id and sentence position.
 *
 * <p>Adding a text replaces any text of the same id (one atomic block update); {@link #commit()}
 * makes changes durable atomically (Lucene commits). The commit records the {@link
 * IndexIdentity}; opening with another model's identity fails. Searches see uncommitted changes
 * of the same writer. Thread-safe (Lucene's writer and searcher manager are).
 */
public final class HashIndex implements SearchableIndex {

    /** Search granularity. */
    public enum Level {
        DOCUMENT("d"), SENTENCE("s");

        private final String prefix;

        Level(String prefix) {
            this.prefix = prefix;
        }

        String substringField() {
            return prefix + "sub";
        }

        String codeField() {
            return prefix + "code";
        }

        String latentField() {
            return prefix + "latent";
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A sentence of an indexed text: its span in the text, its code and latent (or null). */
    public record Sentence(int begin, int end, SemanticHash hash, float[] latent) {}

    /**
     * A text to index.
     *
     * @param id caller's id, unique in the index (adding it again replaces the text)
     * @param text the text (stored; sentences point into it)
     * @param hash the document code
     * @param latent the document latent for tie-breaking, or null
     * @param sentences sentence spans and codes
     */
    public record Text(String id, String text, SemanticHash hash, float[] latent, List<Sentence> sentences) {}

    /**
     * A search result.
     *
     * @param id the text's id
     * @param sentence the sentence's position in the text, or -1 for a document hit
     * @param distance Hamming distance to the query code
     * @param cosine latent cosine to the query (NaN when either has none)
     * @param text the document's text, or the sentence's
     * @param hash the hit's code
     */
    public record Hit(String id, int sentence, int distance, double cosine, String text, SemanticHash hash) {}

    /** Counts and sizes. */
    public record Stats(IndexIdentity identity, int substrings, int documents, int sentences, int segments, long bytesOnDisk) {}

    private static final String ID = "id";
    private static final String ID_SORT = "id_dv";
    private static final String POS = "pos";
    private static final String KIND = "kind";
    private static final String TEXT = "text";
    private static final String BEGIN = "begin";
    private static final String END = "end";
    private static final String SUBSTRINGS_KEY = "latentnlp.substrings";

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final IndexIdentity identity;
    private final SubstringLayout layout;

    private HashIndex(Path path, Directory directory, IndexWriter writer, SearcherManager searchers, IndexIdentity identity, SubstringLayout layout) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.identity = identity;
        this.layout = layout;
    }

    /**
     * Opens an index for writing and searching, creating it when {@code dir} holds none.
     *
     * @param substrings m for a new index (0 = bits / 16 rounded up); an existing index keeps its own
     * @throws IndexMismatchException when the index was made from another model or hash spec
     */
    public static HashIndex openForWriting(Path dir, IndexIdentity identity, int substrings) throws IOException {
        Files.createDirectories(dir);
        Directory directory = FSDirectory.open(dir);
        try {
            SubstringLayout layout;
            Map<String, String> existing = latestCommitData(directory);
            if (existing != null) {
                checkIdentity(dir, existing, identity);
                layout = new SubstringLayout(identity.bits(), Integer.parseInt(existing.get(SUBSTRINGS_KEY)));
            } else {
                layout = new SubstringLayout(identity.bits(), substrings > 0 ? substrings : (identity.bits() + 15) / 16);
            }
            IndexWriterConfig config = new IndexWriterConfig();
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            IndexWriter writer = new IndexWriter(directory, config);
            Map<String, String> data = new HashMap<>(identity.toUserData());
            data.put(SUBSTRINGS_KEY, Integer.toString(layout.substrings()));
            writer.setLiveCommitData(data.entrySet());
            if (existing == null) {
                writer.commit(); // an empty index that already records its identity
            }
            return new HashIndex(dir, directory, writer, new SearcherManager(writer, null), identity, layout);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** Whether {@code dir} holds an index (a Lucene commit); reads nothing else and writes nothing. */
    public static boolean exists(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Directory directory = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(directory);
        }
    }

    /**
     * Opens an existing index for searching only (no write lock: an indexer may run at the same
     * time; this sees its last commit). Every segment file's checksum is verified first (one
     * sequential read of the index), so a damaged index fails here with a
     * {@link org.apache.lucene.index.CorruptIndexException} rather than answering wrongly.
     *
     * @param identity the expected identity, or null to accept the index's own
     */
    public static HashIndex openForReading(Path dir, IndexIdentity identity) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no index at " + dir + " (not a directory)");
        }
        Directory directory = FSDirectory.open(dir);
        try {
            Map<String, String> data = latestCommitData(directory);
            if (data == null) {
                throw new IOException("no index at " + dir + " (no Lucene commit; create one with `latent-nlp index add`)");
            }
            IndexIdentity own = IndexIdentity.fromUserData(data);
            if (own == null) {
                throw new IndexMismatchException(dir + " is a Lucene index but not a latent-nlp semantic-hash index (no identity in its commit)");
            }
            if (identity != null) {
                checkIdentity(dir, data, identity);
            }
            SubstringLayout layout = new SubstringLayout(own.bits(), Integer.parseInt(data.get(SUBSTRINGS_KEY)));
            DirectoryReader reader = DirectoryReader.open(directory);
            try {
                // Lucene checks only the commit's checksum on open; a damaged segment file would
                // otherwise surface mid-search as an IndexOutOfBoundsException or as wrong hits
                // (found by HashIndexFuzzTest). Verifying every file's checksum costs one
                // sequential read of the index.
                for (var leaf : reader.leaves()) {
                    leaf.reader().checkIntegrity();
                }
            } catch (IOException | RuntimeException e) {
                reader.close();
                throw e;
            }
            return new HashIndex(dir, directory, null, new SearcherManager(reader, null), own, layout);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static Map<String, String> latestCommitData(Directory directory) throws IOException {
        try {
            return SegmentInfos.readLatestCommit(directory).getUserData();
        } catch (IndexNotFoundException e) {
            return null;
        }
    }

    private static void checkIdentity(Path dir, Map<String, String> data, IndexIdentity expected) {
        IndexIdentity own = IndexIdentity.fromUserData(data);
        if (own == null) {
            throw new IndexMismatchException(dir + " is a Lucene index but not a latent-nlp semantic-hash index (no identity in its commit)");
        }
        if (!own.equals(expected)) {
            throw new IndexMismatchException("index " + dir + " holds codes of " + own + ", not of " + expected
                    + "; codes of different models are not comparable: use the index's model or a new index directory");
        }
    }

    @Override
    public IndexIdentity identity() {
        return identity;
    }

    public SubstringLayout layout() {
        return layout;
    }

    /** Adds a text, replacing any text with the same id (atomically). Not durable until {@link #commit()}. */
    public void add(Text text) throws IOException {
        requireWriter();
        checkCode(text.hash(), "document " + text.id());
        List<Document> block = new ArrayList<>(text.sentences().size() + 1);
        Document doc = new Document();
        common(doc, text.id(), -1, text.text(), text.hash(), text.latent(), Level.DOCUMENT);
        block.add(doc);
        for (int i = 0; i < text.sentences().size(); i++) {
            Sentence s = text.sentences().get(i);
            checkCode(s.hash(), "sentence " + i + " of document " + text.id());
            if (s.begin() < 0 || s.end() < s.begin() || s.end() > text.text().length()) {
                throw new IllegalArgumentException("sentence " + i + " of document " + text.id() + ": span [" + s.begin() + ", " + s.end()
                        + ") outside the text of " + text.text().length() + " characters");
            }
            Document sd = new Document();
            common(sd, text.id(), i, text.text().substring(s.begin(), s.end()), s.hash(), s.latent(), Level.SENTENCE);
            sd.add(new StoredField(BEGIN, s.begin()));
            sd.add(new StoredField(END, s.end()));
            block.add(sd);
        }
        writer.updateDocuments(new Term(ID, text.id()), block);
    }

    private void common(Document doc, String id, int pos, String text, SemanticHash hash, float[] latent, Level level) {
        doc.add(new StringField(ID, id, Field.Store.YES));
        doc.add(new SortedDocValuesField(ID_SORT, new BytesRef(id)));
        doc.add(new StringField(KIND, level.label(), Field.Store.NO));
        doc.add(new StoredField(POS, pos));
        doc.add(new NumericDocValuesField(POS, pos));
        doc.add(new StoredField(TEXT, text));
        long[] words = hash.words();
        for (int j = 0; j < layout.substrings(); j++) {
            doc.add(new StringField(level.substringField(), term(j, layout.substring(words, j)), Field.Store.NO));
        }
        doc.add(new BinaryDocValuesField(level.codeField(), new BytesRef(encode(words))));
        if (latent != null) {
            doc.add(new BinaryDocValuesField(level.latentField(), new BytesRef(encode(latent))));
        }
    }

    /** Deletes a text and its sentences; returns whether it existed (in the searchable state). */
    public boolean delete(String id) throws IOException {
        requireWriter();
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            boolean existed = s.count(new TermQuery(new Term(ID, id))) > 0;
            writer.deleteDocuments(new Term(ID, id));
            return existed;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * Which of {@code ids} the index holds as texts, in the searchable state (the last commit when
     * open for reading; every change so far when open for writing). Callers that must not
     * replace texts silently check their ids with this before {@link #add}.
     */
    public Set<String> existing(Collection<String> ids) throws IOException {
        if (writer != null) {
            searchers.maybeRefreshBlocking();
        }
        IndexSearcher s = searchers.acquire();
        try {
            Set<String> found = new LinkedHashSet<>();
            for (String id : ids) {
                if (s.count(new TermQuery(new Term(ID, id))) > 0) {
                    found.add(id);
                }
            }
            return found;
        } finally {
            searchers.release(s);
        }
    }

    /** Makes every change so far durable, atomically. */
    public void commit() throws IOException {
        requireWriter();
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** The k nearest documents or sentences to a code; fewer when the index holds fewer. */
    @Override
    public List<Hit> knn(Level level, SemanticHash query, int k, float[] queryLatent) throws IOException {
        checkCode(query, "query");
        if (k < 1) {
            throw new IllegalArgumentException("illegal k " + k + ": must be at least 1");
        }
        return search(level, query, k, -1, queryLatent);
    }

    /** Every document or sentence within Hamming distance r of a code, ranked. */
    @Override
    public List<Hit> radius(Level level, SemanticHash query, int r, float[] queryLatent) throws IOException {
        checkCode(query, "query");
        if (r < 0) {
            throw new IllegalArgumentException("illegal radius " + r + ": must be >= 0");
        }
        return search(level, query, Integer.MAX_VALUE, r, queryLatent);
    }

    private List<Hit> search(Level level, SemanticHash query, int k, int radius, float[] queryLatent) throws IOException {
        searchers.maybeRefresh();
        IndexSearcher searcher = searchers.acquire();
        try {
            long[] q = query.words();
            int m = layout.substrings();
            int total = liveCount(searcher, level);
            int target = Math.min(k, total);
            Found found = radius >= 0 ? new Found(searcher.getIndexReader().maxDoc(), layout.bits(), Integer.MAX_VALUE, Math.min(radius, layout.bits()))
                    : new Found(searcher.getIndexReader().maxDoc(), layout.bits(), target, layout.bits());
            int maxLen = 0;
            for (int j = 0; j < m; j++) {
                maxLen = Math.max(maxLen, layout.length(j));
            }
            int maxS = radius >= 0 ? radius / m : maxLen;
            long probes = 0;
            int limit = radius >= 0 ? radius : layout.bits();
            for (int s = 0; s <= maxS; s++) {
                probes += probesAt(s);
                if (probes > total) {
                    verify(searcher, new TermQuery(new Term(KIND, level.label())), level, q, found);
                    break;
                }
                List<BytesRef> terms = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    int jj = j;
                    SubstringLayout.forEachAtDistance(layout.substring(q, j), layout.length(j), s, v -> terms.add(new BytesRef(term(jj, v))));
                }
                verify(searcher, new TermInSetQuery(level.substringField(), terms), level, q, found);
                if (radius < 0) {
                    int kth = found.acc.kth(target, (long) m * (s + 1) - 1);
                    if (kth >= 0) {
                        limit = kth;
                        break;
                    }
                }
            }
            if (radius < 0 && found.acc.kth(target, layout.bits()) < 0) {
                throw new IllegalStateException("k-NN search found fewer than " + target + " codes; this is a bug");
            }
            if (radius < 0 && limit == layout.bits()) {
                limit = Math.max(0, found.acc.kth(target, layout.bits()));
            }
            return rank(searcher, level, found, limit, k, queryLatent);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Live entries per level of one reader: counted once per reader, not once per query. */
    private record Counts(org.apache.lucene.index.IndexReader reader, int[] perLevel) {}

    private volatile Counts counts;

    private int liveCount(IndexSearcher searcher, Level level) throws IOException {
        Counts c = counts;
        if (c == null || c.reader() != searcher.getIndexReader()) {
            int[] perLevel = new int[Level.values().length];
            for (Level l : Level.values()) {
                perLevel[l.ordinal()] = searcher.count(new TermQuery(new Term(KIND, l.label())));
            }
            c = new Counts(searcher.getIndexReader(), perLevel);
            counts = c;
        }
        return c.perLevel()[level.ordinal()];
    }

    /** Candidates of one query: Lucene's global doc ids, deduplicated, in a {@link KnnAccumulator}. */
    private static final class Found {
        final FixedBitSet seen;
        final KnnAccumulator acc;

        Found(int maxDoc, int bits, int k, int threshold) {
            seen = new FixedBitSet(Math.max(1, maxDoc));
            acc = new KnnAccumulator(bits, k, threshold);
        }
    }

    private void verify(IndexSearcher searcher, Query query, Level level, long[] q, Found found) throws IOException {
        searcher.search(query, new SimpleCollector() {
            private BinaryDocValues codes;
            private int base;
            private final long[] buffer = new long[q.length];

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                codes = context.reader().getBinaryDocValues(level.codeField());
                base = context.docBase;
            }

            @Override
            public void collect(int doc) throws IOException {
                int global = base + doc;
                if (found.seen.get(global)) {
                    return;
                }
                found.seen.set(global);
                if (codes == null || !codes.advanceExact(doc)) {
                    throw new IllegalStateException("document " + global + " of " + path + " has no code doc values; the index is damaged");
                }
                decode(codes.binaryValue(), buffer);
                int d = 0;
                for (int w = 0; w < buffer.length; w++) {
                    d += Long.bitCount(buffer[w] ^ q[w]);
                }
                if (d <= found.acc.threshold()) {
                    found.acc.accept(global, d);
                }
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        });
    }

    private List<Hit> rank(IndexSearcher searcher, Level level, Found found, int limit, int k, float[] queryLatent) throws IOException {
        record Row(int doc, int distance, double cosine, String id, long pos) {}
        List<Row> rows = new ArrayList<>();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        // Sorted by doc id so doc values iterators advance forward within each leaf.
        Candidates c = found.acc.candidates;
        int[] order = java.util.stream.IntStream.range(0, c.size()).filter(i -> c.distance(i) <= limit)
                .boxed().sorted(Comparator.comparingInt(c::ordinal)).mapToInt(Integer::intValue).toArray();
        int leafIndex = -1;
        SortedDocValues ids = null;
        NumericDocValues positions = null;
        BinaryDocValues latents = null;
        LeafReaderContext leaf = null;
        for (int i : order) {
            int global = c.ordinal(i);
            while (leaf == null || global >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(++leafIndex);
                ids = leaf.reader().getSortedDocValues(ID_SORT);
                positions = leaf.reader().getNumericDocValues(POS);
                latents = leaf.reader().getBinaryDocValues(level.latentField());
            }
            int doc = global - leaf.docBase;
            ids.advanceExact(doc);
            String id = ids.lookupOrd(ids.ordValue()).utf8ToString();
            positions.advanceExact(doc);
            float[] latent = latents != null && latents.advanceExact(doc) ? decodeFloats(latents.binaryValue()) : null;
            rows.add(new Row(global, c.distance(i), Candidates.cosine(queryLatent, latent), id, positions.longValue()));
        }
        rows.sort((a, b) -> compareHits(a.distance(), a.cosine(), a.id(), a.pos(), b.distance(), b.cosine(), b.id(), b.pos()));
        List<Hit> hits = new ArrayList<>();
        for (Row r : rows.subList(0, Math.min(k, rows.size()))) {
            Document stored = searcher.storedFields().document(r.doc());
            hits.add(new Hit(r.id(), (int) r.pos(), r.distance(), r.cosine(), stored.get(TEXT), codeOf(searcher, level, r.doc())));
        }
        return hits;
    }

    /** The ranking of hits: distance, then latent cosine (when both known), then id, then sentence position. */
    static int compareHits(int d1, double cos1, String id1, long pos1, int d2, double cos2, String id2, long pos2) {
        int cmp = Candidates.compareDistanceThenCosine(d1, cos1, d2, cos2);
        if (cmp != 0) {
            return cmp;
        }
        cmp = id1.compareTo(id2);
        return cmp != 0 ? cmp : Long.compare(pos1, pos2);
    }

    private SemanticHash codeOf(IndexSearcher searcher, Level level, int global) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(global, leaves));
        BinaryDocValues codes = leaf.reader().getBinaryDocValues(level.codeField());
        codes.advanceExact(global - leaf.docBase);
        long[] words = new long[(layout.bits() + 63) / 64];
        decode(codes.binaryValue(), words);
        return SemanticHash.fromWords(words, layout.bits());
    }

    /** Counts and sizes of the last refreshed state. */
    public Stats stats() throws IOException {
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
            return new Stats(identity, layout.substrings(), s.count(new TermQuery(new Term(KIND, Level.DOCUMENT.label()))),
                    s.count(new TermQuery(new Term(KIND, Level.SENTENCE.label()))), s.getIndexReader().leaves().size(), bytes);
        } finally {
            searchers.release(s);
        }
    }

    private long probesAt(int s) {
        long total = 0;
        for (int j = 0; j < layout.substrings(); j++) {
            total += MultiIndexHash.binomial(layout.length(j), s);
        }
        return total;
    }

    private void checkCode(SemanticHash hash, String what) {
        if (hash == null) {
            throw new IllegalArgumentException(what + " has no code");
        }
        if (hash.bits() != identity.bits()) {
            throw new IllegalArgumentException(what + ": a " + hash.bits() + "-bit code, but " + path + " holds " + identity.bits() + "-bit codes of " + identity.model());
        }
    }

    private void requireWriter() {
        if (writer == null) {
            throw new IllegalStateException(path + " is open for reading only");
        }
    }

    private static String term(int j, long value) {
        return j + ":" + Long.toHexString(value);
    }

    private static byte[] encode(long[] words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    private static void decode(BytesRef ref, long[] out) {
        ByteBuffer b = ByteBuffer.wrap(ref.bytes, ref.offset, ref.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
    }

    private static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static float[] decodeFloats(BytesRef ref) {
        ByteBuffer b = ByteBuffer.wrap(ref.bytes, ref.offset, ref.length);
        float[] v = new float[ref.length / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            if (writer != null) {
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing index " + path, e);
        } finally {
            directory.close();
        }
    }
}
