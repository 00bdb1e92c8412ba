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
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A semantic-hash index of documents and their sentences on Lucene, searched exactly in Hamming
 * space by multi-index hashing in memory.
 *
 * <p>Each indexed text becomes a block of Lucene documents: one for the document (its id, text,
 * document code and latent) and one per sentence (parent id, position, character offsets, text,
 * code, latent). Codes sit in binary doc values. Lucene is the durable store; search runs in
 * memory: the first search of a reader (a point-in-time view: a commit, or a writer's refresh)
 * reads that reader's live codes from doc values, lets {@link LayoutPlanner} choose the number of
 * substrings and the bit order from them, and builds a {@link MultiIndexHash} per level
 * ({@link ReaderCodes}); later searches of the same reader reuse it, and a new reader (after a
 * commit, merge or deletion) gets its own. {@link #searchStructures()} builds them up front and
 * reports their memory. A k-NN query gets from the tables every code within the k-th distance
 * (ties included); radius r every code within r. Results are ranked by distance, then latent
 * cosine to the query (when both have latents), then id and sentence position; only the hits
 * returned have their text read from stored fields.
 *
 * <p>Adding a text replaces any text of the same id (one atomic block update); {@link #commit()}
 * makes changes durable atomically (Lucene commits). The commit records the {@link
 * IndexIdentity}; opening with another model's identity fails. Searches see uncommitted changes
 * of the same writer (at the cost of rebuilding the search structures after every change).
 * Thread-safe (Lucene's writer and searcher manager are; structures are built under a lock).
 */
public final class HashIndex implements SearchableIndex, WritableIndex {

    /** Search granularity. */
    public enum Level {
        DOCUMENT("d"), SENTENCE("s");

        private final String prefix;

        Level(String prefix) {
            this.prefix = prefix;
        }

        String codeField() {
            return prefix + "code";
        }

        String latentField() {
            return prefix + "latent";
        }

        /**
         * What a hit returns, in binary doc values: position, id and text in one value ({@link
         * HitValue}), so a hit costs one doc values read. One field per level: a doc values reader
         * allocates a buffer of the field's longest value, and sentences are short while
         * documents may not be.
         */
        String hitField() {
            return prefix + "hit";
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
    static final String ID_SORT = "id_dv";
    static final String POS = "pos";
    static final String KIND = "kind";
    private static final String TEXT = "text";

    private static final String BEGIN = "begin";
    private static final String END = "end";
    /**
     * The number of substrings m a user fixed for the in-memory multi-index hashing ("0": chosen
     * from the codes when a reader is searched). Indexes written before search moved into memory
     * recorded their term layout under "latentnlp.substrings"; that key is ignored now.
     */
    private static final String SUBSTRINGS_KEY = "latentnlp.mih_substrings";

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final IndexIdentity identity;
    private final int substrings;

    private HashIndex(Path path, Directory directory, IndexWriter writer, SearcherManager searchers, IndexIdentity identity, int substrings) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.identity = identity;
        this.substrings = substrings;
    }

    /**
     * Opens an index for writing and searching, creating it when {@code dir} holds none. A
     * directory holding a {@link ShardManifest} is refused (write to it through
     * {@link ShardedHashIndex#openForWriting}): a second index beside the manifest would be one
     * that search never reads.
     *
     * @param substrings m for a new index (0 = bits / 16 rounded up); an existing index keeps its own
     * @throws IndexMismatchException when the index was made from another model or hash spec
     */
    public static HashIndex openForWriting(Path dir, IndexIdentity identity, int substrings) throws IOException {
        refuseSharded(dir);
        Files.createDirectories(dir);
        return openWriter(dir, identity, substrings, false);
    }

    /**
     * Opens an existing index for writing and searching; unlike {@link #openForWriting} it creates
     * nothing: a missing directory, or one without a Lucene commit, is an {@link IOException}
     * naming it, and nothing is written.
     *
     * @param identity the expected identity, or null to accept the index's own
     * @throws IndexMismatchException when the index was made from another model or hash spec
     */
    public static HashIndex openExistingForWriting(Path dir, IndexIdentity identity) throws IOException {
        refuseSharded(dir);
        if (!Files.isDirectory(dir)) {
            throw new IOException("no index at " + dir + " (" + (Files.exists(dir) ? "not a directory" : "missing") + ")");
        }
        return openWriter(dir, identity, 0, true);
    }

    /** A directory holding a {@link ShardManifest} is a sharded index: a second index beside the manifest would be invisible to search. */
    private static void refuseSharded(Path dir) throws IOException {
        if (ShardManifest.isSharded(dir)) {
            throw new IOException(dir + " is a sharded index (it holds " + ShardManifest.FILE_NAME + "); write to it through ShardedHashIndex"
                    + " (`latent-nlp index add` routes each text to its shard), not as one index beside the manifest");
        }
    }

    private static HashIndex openWriter(Path dir, IndexIdentity identity, int substrings, boolean mustExist) throws IOException {
        Directory directory = FSDirectory.open(dir);
        try {
            int m;
            Map<String, String> existing = latestCommitData(directory);
            if (existing == null && mustExist) {
                throw new IOException("no index at " + dir + " (no Lucene commit)");
            }
            if (existing != null && identity == null) {
                identity = IndexIdentity.fromUserData(existing);
            }
            if (existing != null) {
                checkIdentity(dir, existing, identity);
                m = substringsOf(dir, existing);
            } else {
                if (substrings > 0) {
                    new SubstringLayout(identity.bits(), substrings); // validates m for these codes
                }
                m = Math.max(0, substrings);
            }
            IndexWriterConfig config = new IndexWriterConfig();
            config.setOpenMode(mustExist ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            IndexWriter writer = new IndexWriter(directory, config);
            Map<String, String> data = new HashMap<>(identity.toUserData());
            data.put(SUBSTRINGS_KEY, Integer.toString(m));
            if (!data.equals(existing)) {
                // Only when it changes: new live commit data makes close() write a commit, and a
                // writer opened and closed without changes (a refused `index add`) must write nothing.
                writer.setLiveCommitData(data.entrySet());
            }
            if (existing == null) {
                writer.commit(); // an empty index that already records its identity
            }
            return new HashIndex(dir, directory, writer, new SearcherManager(writer, null), identity, m);
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
                throw new IOException("no index at " + dir + (ShardManifest.isSharded(dir) ? " (a sharded index: it holds " + ShardManifest.FILE_NAME
                        + "; open it with ShardedHashIndex)" : " (no Lucene commit; create one with `latent-nlp index add`)"));
            }
            IndexIdentity own = IndexIdentity.fromUserData(data);
            if (own == null) {
                throw new IndexMismatchException(dir + " is a Lucene index but not a latent-nlp semantic-hash index (no identity in its commit)");
            }
            if (identity != null) {
                checkIdentity(dir, data, identity);
            }
            int m = substringsOf(dir, data);
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
            return new HashIndex(dir, directory, null, new SearcherManager(reader, null), own, m);
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

    /** The number of substrings fixed for multi-index hashing, or 0 when it is chosen from the codes ({@link LayoutPlanner}). */
    public int substrings() {
        return substrings;
    }

    /** The m a commit fixes, 0 when it fixes none (also for indexes from before the key existed). */
    private static int substringsOf(Path dir, Map<String, String> data) {
        String v = data.get(SUBSTRINGS_KEY);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IndexMismatchException(dir + ": commit data " + SUBSTRINGS_KEY + "='" + v + "' is not a number; the index is damaged");
        }
    }

    /** The longest id, in UTF-8 bytes: Lucene's limit on one term ({@link IndexWriter#MAX_TERM_LENGTH}). */
    public static final int MAX_ID_BYTES = IndexWriter.MAX_TERM_LENGTH;

    /**
     * Why {@code id} cannot be a text's id (null, empty, an unpaired surrogate, or longer than
     * {@value #MAX_ID_BYTES} UTF-8 bytes), or null when it can. Callers that add many texts check every id with this
     * before writing anything.
     */
    public static String idProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "the id is empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // Lucene would store U+FFFD and Spark's partitioning hash '?': the two would disagree on its shard
                return "the id has an unpaired UTF-16 surrogate at char " + i + ", so it is not Unicode text";
            }
        }
        if (id.length() * 3L > MAX_ID_BYTES) { // cheap bound first: a char is at most 3 UTF-8 bytes
            int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_ID_BYTES) {
                return "the id is " + bytes + " UTF-8 bytes long (it starts '" + id.substring(0, 20) + "...'), above Lucene's limit of " + MAX_ID_BYTES
                        + " bytes per term";
            }
        }
        return null;
    }

    /** Adds a text, replacing any text with the same id (atomically). Not durable until {@link #commit()}. */
    public void add(Text text) throws IOException {
        requireWriter();
        String problem = idProblem(text.id());
        if (problem != null) {
            throw new IllegalArgumentException("cannot index a text in " + path + ": " + problem);
        }
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
        try {
            writer.updateDocuments(new Term(ID, text.id()), block);
        } catch (IOException | AlreadyClosedException e) {
            throw writeFailure(e);
        }
    }

    /**
     * A write that failed, said by its root cause. After a tragic failure (a full disk hit by a
     * flush or by a merge thread) Lucene closes the writer, and the next call only says "this
     * IndexWriter is closed"; the cause is in the writer's tragic exception or the cause chain.
     */
    private IOException writeFailure(Exception e) {
        Throwable tragic = writer.getTragicException();
        Throwable full = noSpace(tragic) != null ? noSpace(tragic) : noSpace(e);
        if (full != null) {
            return new IOException("no space left on device writing index " + path + " (" + full.getMessage() + "); texts committed before are intact", e);
        }
        Throwable root = tragic != null ? tragic : e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new IOException("writing index " + path + " failed: " + root, e);
    }

    /** The throwable in {@code t}'s cause chain (suppressed ones included) that reports a full disk (ENOSPC), or null. */
    private static Throwable noSpace(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            String m = t instanceof java.nio.file.FileSystemException fs ? fs.getReason() + " " + fs.getMessage() : t.getMessage();
            if (m != null && m.contains("No space left on device")) {
                return t;
            }
            for (Throwable s : t.getSuppressed()) {
                Throwable found = noSpace(s);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private void common(Document doc, String id, int pos, String text, SemanticHash hash, float[] latent, Level level) {
        doc.add(new StringField(ID, id, Field.Store.YES));
        doc.add(new SortedDocValuesField(ID_SORT, new BytesRef(id)));
        doc.add(new StringField(KIND, level.label(), Field.Store.NO));
        doc.add(new StoredField(POS, pos));
        doc.add(new NumericDocValuesField(POS, pos));
        // A hit's id, position and text in one doc value: a few microseconds, against tens for
        // stored fields (whose compressed blocks are larger) or three doc values readers.
        doc.add(new BinaryDocValuesField(level.hitField(), HitValue.encode(id, pos, text)));
        doc.add(new BinaryDocValuesField(level.codeField(), new BytesRef(encode(hash.words()))));
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
        } catch (AlreadyClosedException e) {
            throw writeFailure(e);
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

    /**
     * The ids of the live texts of the searchable state, in Lucene's term order (UTF-8 bytes),
     * each once. Holds a reader until closed. For {@link ShardedHashIndex}'s checks across shards.
     */
    LiveIds liveIds() throws IOException {
        if (writer != null) {
            searchers.maybeRefreshBlocking();
        }
        return new LiveIds(searchers);
    }

    /** An iterator over live ids; {@link #next()} returns null at the end, and each id is valid until the next call. */
    static final class LiveIds implements java.io.Closeable {
        private final SearcherManager manager;
        private final IndexSearcher searcher;
        private final org.apache.lucene.util.Bits live;
        private final org.apache.lucene.index.TermsEnum terms;
        private org.apache.lucene.index.PostingsEnum postings;

        private LiveIds(SearcherManager manager) throws IOException {
            this.manager = manager;
            this.searcher = manager.acquire();
            IndexReader reader = searcher.getIndexReader();
            this.live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
            org.apache.lucene.index.Terms t = org.apache.lucene.index.MultiTerms.getTerms(reader, ID);
            this.terms = t == null ? null : t.iterator();
        }

        BytesRef next() throws IOException {
            if (terms == null) {
                return null;
            }
            for (BytesRef id = terms.next(); id != null; id = terms.next()) {
                if (live == null) {
                    return id; // no deletions: every term's documents are live
                }
                postings = terms.postings(postings, org.apache.lucene.index.PostingsEnum.NONE);
                for (int d = postings.nextDoc(); d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                    if (live == null || live.get(d)) {
                        return id; // a deleted text's id stays in the terms until its segment merges
                    }
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            manager.release(searcher);
        }
    }

    /** Makes every change so far durable, atomically. */
    public void commit() throws IOException {
        requireWriter();
        try {
            writer.commit();
        } catch (IOException | AlreadyClosedException e) {
            throw writeFailure(e);
        }
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

    /** A reader looks for a newer commit at most this often; a writer sees its own changes at every search. */
    private static final long READER_REFRESH_NANOS = 1_000_000_000L;
    private volatile long lastRefresh = System.nanoTime();

    private void refresh() throws IOException {
        if (writer != null) {
            searchers.maybeRefresh();
        } else if (System.nanoTime() - lastRefresh > READER_REFRESH_NANOS) {
            // Checking costs a directory listing and a read of the newest segments file (about
            // 1 ms), more than a search: at most once a second.
            lastRefresh = System.nanoTime();
            searchers.maybeRefresh();
        }
    }

    /** The search structures of the newest reader seen, built on its first search. */
    private volatile ReaderCodes structures;

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

    /**
     * Builds (when not yet built) the in-memory search structures of the current searchable state
     * and says what they hold. Searches build them on first use; call this to pay the cost up
     * front (e.g. right after opening a reader) or to see the chosen layouts.
     */
    public SearchStructures searchStructures() throws IOException {
        if (writer != null) {
            searchers.maybeRefreshBlocking();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            ReaderCodes c = structures(searcher.getIndexReader());
            ReaderCodes.LevelCodes d = c.level(Level.DOCUMENT);
            ReaderCodes.LevelCodes s = c.level(Level.SENTENCE);
            return new SearchStructures(d.plan(), s.plan(), d.codes().size(), s.codes().size(), c.bytes(), c.loadSeconds, c.buildSeconds);
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * The in-memory search structures of an open index.
     *
     * @param documents the document level's layout and why it was chosen
     * @param sentences the sentence level's
     * @param documentCodes live document codes held
     * @param sentenceCodes live sentence codes held
     * @param bytes memory held by codes, doc ids and multi-index hashing tables (both levels)
     * @param loadSeconds time spent reading codes from doc values
     * @param buildSeconds time spent choosing layouts and building tables
     */
    public record SearchStructures(LayoutPlanner.Plan documents, LayoutPlanner.Plan sentences, int documentCodes, int sentenceCodes, long bytes,
            double loadSeconds, double buildSeconds) {}

    /**
     * The candidates within {@code limit} ranked by distance, latent cosine (latents read from doc
     * values, in doc order), then ordinal (= id and position), cut to k.
     */
    private List<Neighbor> rankWithLatents(IndexSearcher searcher, Level level, ReaderCodes.LevelCodes codes, Candidates c, int limit, int k,
            float[] queryLatent) throws IOException {
        int[] docs = codes.docs();
        int[] within = java.util.stream.IntStream.range(0, c.size()).filter(i -> c.distance(i) <= limit)
                .boxed().sorted(Comparator.comparingInt(i -> docs[c.ordinal(i)])).mapToInt(Integer::intValue).toArray();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<Neighbor> rows = new ArrayList<>(within.length);
        int leafIndex = -1;
        BinaryDocValues latents = null;
        LeafReaderContext leaf = null;
        for (int i : within) {
            int global = docs[c.ordinal(i)];
            while (leaf == null || global >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(++leafIndex);
                latents = leaf.reader().getBinaryDocValues(level.latentField());
            }
            int doc = global - leaf.docBase;
            float[] latent = latents != null && latents.advanceExact(doc) ? decodeFloats(latents.binaryValue()) : null;
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
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = null;
        int leafIndex = -1;
        BinaryDocValues hitValues = null;
        for (int i : byDoc) {
            int global = docs[i];
            while (leaf == null || global >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(++leafIndex);
                hitValues = leaf.reader().getBinaryDocValues(level.hitField());
            }
            int doc = global - leaf.docBase;
            values[i] = hitValues != null && hitValues.advanceExact(doc) ? HitValue.decode(hitValues.binaryValue()) : earlierFormat(searcher, leaf, doc);
        }
        List<Hit> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Neighbor nb = ranked.get(i);
            hits.add(new Hit(values[i].id(), values[i].position(), nb.distance(), nb.cosine(), values[i].text(),
                    SemanticHash.fromWords(codes.codes().code(nb.ordinal()), identity.bits())));
        }
        return hits;
    }

    /** Id, position and text of an entry of an index written before the hit doc values existed. */
    private HitValue earlierFormat(IndexSearcher searcher, LeafReaderContext leaf, int doc) throws IOException {
        SortedDocValues ids = leaf.reader().getSortedDocValues(ID_SORT);
        NumericDocValues positions = leaf.reader().getNumericDocValues(POS);
        if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
            throw new IllegalStateException("document " + (leaf.docBase + doc) + " of " + path + " has no id or position doc values; the index is damaged");
        }
        String text = searcher.storedFields().document(leaf.docBase + doc, TEXT_ONLY).get(TEXT);
        return new HitValue(ids.lookupOrd(ids.ordValue()).utf8ToString(), (int) positions.longValue(), text);
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

    private static final Set<String> TEXT_ONLY = Set.of(TEXT);

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
            return new Stats(identity, substrings, s.count(new TermQuery(new Term(KIND, Level.DOCUMENT.label()))),
                    s.count(new TermQuery(new Term(KIND, Level.SENTENCE.label()))), s.getIndexReader().leaves().size(), bytes);
        } finally {
            searchers.release(s);
        }
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

    private static byte[] encode(long[] words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
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
