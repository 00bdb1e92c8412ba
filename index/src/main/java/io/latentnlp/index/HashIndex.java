package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A semantic-hash index of documents and their sentences on Lucene, searched exactly in Hamming
 * space by multi-index hashing in memory.
 *
 * <p>Each indexed text becomes a block of Lucene documents: one for the document (its id, text,
 * document code and latent) and one per sentence (parent id, position, character offsets, text,
 * code, latent). Codes sit in binary doc values. Lucene is the durable store; search runs in
 * memory, per Lucene segment: the first search that meets a segment reads its codes from doc
 * values, lets {@link LayoutPlanner} choose the number of substrings and the bit order from them,
 * and builds a {@link MultiIndexHash} per level ({@link SegmentCodes}); every later reader that
 * holds the segment (after a commit, refresh or deletion; deletions are applied through live docs
 * at query time) reuses them, so a refresh builds only new segments. Each segment answers its own
 * top k and the answers are merged exactly. {@link #searchStructures()} builds them up front and
 * reports their memory. A k-NN query gets from the tables every code within the k-th distance
 * (ties included); radius r every code within r. Results are ranked by distance, then latent
 * cosine to the query (when both have latents), then id and sentence position; only the hits
 * returned have their text read from stored fields.
 *
 * <p>Adding a text replaces any text of the same id (one atomic block update); {@link #commit()}
 * makes changes durable atomically (Lucene commits). The commit records the {@link
 * IndexIdentity}; opening with another model's identity fails. Searches see uncommitted changes
 * of the same writer (at the cost of building structures for the segments each refresh flushes).
 * Thread-safe (Lucene's writer and searcher manager are; structures are built under a lock).
 *
 * <p>This class opens the index and checks its identity; it hands writes to {@link
 * HashIndexWriter} (absent when open for reading) and searches to {@link HashIndexSearcher}, and
 * both keep to the fields and codecs of {@link IndexSchema}.
 */
public final class HashIndex implements SearchableIndex, WritableIndex {

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

    /** Counts and sizes. */
    public record Stats(IndexIdentity identity, int substrings, int documents, int sentences, int segments, long bytesOnDisk) {}

    private final Path path;
    private final Directory directory;
    /** The write side, null when open for reading only. */
    private final HashIndexWriter writer;
    private final HashIndexSearcher searcher;
    private final IndexIdentity identity;
    private final int substrings;

    private HashIndex(Path path, Directory directory, IndexWriter writer, SearcherManager searchers, IndexIdentity identity, int substrings) {
        this.path = path;
        this.directory = directory;
        this.writer = writer == null ? null : new HashIndexWriter(path, writer, searchers, identity);
        this.searcher = new HashIndexSearcher(path, directory, searchers, writer != null, identity, substrings);
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
            Map<String, String> existing = IndexSchema.latestCommitData(directory);
            if (existing == null && mustExist) {
                throw new IOException("no index at " + dir + " (no Lucene commit)");
            }
            if (existing != null && identity == null) {
                identity = IndexIdentity.fromUserData(existing);
            }
            if (existing != null) {
                IndexSchema.checkIdentity(dir, existing, identity);
                m = IndexSchema.substringsOf(dir, existing);
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
            data.put(IndexSchema.SUBSTRINGS_KEY, Integer.toString(m));
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
            Map<String, String> data = IndexSchema.latestCommitData(directory);
            if (data == null) {
                throw new IOException("no index at " + dir + (ShardManifest.isSharded(dir) ? " (a sharded index: it holds " + ShardManifest.FILE_NAME
                        + "; open it with ShardedHashIndex)" : " (no Lucene commit; create one with `latent-nlp index add`)"));
            }
            IndexIdentity own = IndexIdentity.fromUserData(data);
            if (own == null) {
                throw new IndexMismatchException(dir + " is a Lucene index but not a latent-nlp semantic-hash index (no identity in its commit)");
            }
            if (identity != null) {
                IndexSchema.checkIdentity(dir, data, identity);
            }
            int m = IndexSchema.substringsOf(dir, data);
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

    @Override
    public IndexIdentity identity() {
        return identity;
    }

    /** The number of substrings fixed for multi-index hashing, or 0 when it is chosen from the codes ({@link LayoutPlanner}). */
    public int substrings() {
        return substrings;
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
        requireWriter().add(text);
    }

    /** Deletes a text and its sentences; returns whether it existed (in the searchable state). */
    public boolean delete(String id) throws IOException {
        return requireWriter().delete(id);
    }

    /**
     * Which of {@code ids} the index holds as texts, in the searchable state (the last commit when
     * open for reading; every change so far when open for writing). Callers that must not
     * replace texts silently check their ids with this before {@link #add}.
     */
    public Set<String> existing(Collection<String> ids) throws IOException {
        return searcher.existing(ids);
    }

    /**
     * The ids of the live texts of the searchable state, in Lucene's term order (UTF-8 bytes),
     * each once. Holds a reader until closed. For {@link ShardedHashIndex}'s checks across shards.
     */
    LiveIds liveIds() throws IOException {
        return searcher.liveIds();
    }

    /** Makes every change so far durable, atomically. */
    public void commit() throws IOException {
        requireWriter().commit();
    }

    /** The k nearest documents or sentences to a code; fewer when the index holds fewer. */
    @Override
    public List<Hit> knn(Level level, SemanticHash query, int k, float[] queryLatent) throws IOException {
        return searcher.knn(level, query, k, queryLatent);
    }

    /** Every document or sentence within Hamming distance r of a code, ranked. */
    @Override
    public List<Hit> radius(Level level, SemanticHash query, int r, float[] queryLatent) throws IOException {
        return searcher.radius(level, query, r, queryLatent);
    }

    /**
     * Builds (when not yet built) the in-memory search structures of the current searchable state
     * and says what they hold. Searches build them on first use; call this to pay the cost up
     * front (e.g. right after opening a reader) or to see the chosen layouts.
     */
    public SearchStructures searchStructures() throws IOException {
        return searcher.searchStructures();
    }

    /**
     * The in-memory search structures of an open index.
     *
     * @param documents the document level's layout and why it was chosen (of the largest segment: each segment chooses its own)
     * @param sentences the sentence level's (of the largest segment)
     * @param documentCodes live document codes held
     * @param sentenceCodes live sentence codes held
     * @param bytes memory held by codes, doc ids and multi-index hashing tables (both levels; deleted entries of a segment are held until it merges)
     * @param loadSeconds time spent reading codes from doc values, summed over the segments held (whenever each was built)
     * @param buildSeconds time spent choosing layouts and building tables, summed likewise
     */
    public record SearchStructures(LayoutPlanner.Plan documents, LayoutPlanner.Plan sentences, int documentCodes, int sentenceCodes, long bytes,
            double loadSeconds, double buildSeconds) {}

    /**
     * The ranking of hits: distance, then latent cosine (when both known), then id in Unicode code
     * point order, then sentence position. Code point order is the UTF-8 byte order in which
     * Lucene sorts the ids, and so the order within one segment; {@link String#compareTo} (UTF-16
     * units) differs from it where a supplementary character meets one in U+E000..U+FFFF.
     */
    static int compareHits(int d1, double cos1, String id1, long pos1, int d2, double cos2, String id2, long pos2) {
        int cmp = Candidates.compareDistanceThenCosine(d1, cos1, d2, cos2);
        if (cmp != 0) {
            return cmp;
        }
        cmp = compareCodePoints(id1, id2);
        return cmp != 0 ? cmp : Long.compare(pos1, pos2);
    }

    /** Compares two strings by code point (= UTF-8 byte order): UTF-16 order with surrogates moved above U+E000..U+FFFF. */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Integer.compare(codePointRank(x), codePointRank(y));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** A UTF-16 unit's place in code point order: surrogates (U+D800..U+DFFF) after every other unit. */
    private static int codePointRank(char c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? c + 0x10000 : c;
    }

    /** The per-segment search structures of the current searchable state, built where missing (for tests). */
    ReaderCodes structures() throws IOException {
        return searcher.currentStructures();
    }

    /** Counts and sizes of the last refreshed state. */
    public Stats stats() throws IOException {
        return searcher.stats();
    }

    private HashIndexWriter requireWriter() {
        if (writer == null) {
            throw new IllegalStateException(path + " is open for reading only");
        }
        return writer;
    }

    @Override
    public void close() throws IOException {
        try {
            searcher.close();
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
