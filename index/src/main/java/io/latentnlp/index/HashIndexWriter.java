package io.latentnlp.index;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * The write side of a {@link HashIndex} opened for writing: adds texts as Lucene blocks
 * ({@link IndexSchema#block}), deletes them, commits, and says a failed write (a full disk above
 * all) by its root cause. Shares the index's {@link SearcherManager} with its {@link
 * HashIndexSearcher}, which sees this writer's changes. Thread-safe (Lucene's writer is). Does not
 * own the Lucene writer's directory.
 */
final class HashIndexWriter {

    private final Path path;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final IndexIdentity identity;

    HashIndexWriter(Path path, IndexWriter writer, SearcherManager searchers, IndexIdentity identity) {
        this.path = path;
        this.writer = writer;
        this.searchers = searchers;
        this.identity = identity;
    }

    /** Adds a text, replacing any text with the same id (atomically). Not durable until {@link #commit()}. */
    void add(HashIndex.Text text) throws IOException {
        String problem = HashIndex.idProblem(text.id());
        if (problem != null) {
            throw new IllegalArgumentException("cannot index a text in " + path + ": " + problem);
        }
        IndexSchema.checkCode(text.hash(), "document " + text.id(), identity, path);
        for (int i = 0; i < text.sentences().size(); i++) {
            HashIndex.Sentence s = text.sentences().get(i);
            IndexSchema.checkCode(s.hash(), "sentence " + i + " of document " + text.id(), identity, path);
            if (s.begin() < 0 || s.end() < s.begin() || s.end() > text.text().length()) {
                throw new IllegalArgumentException("sentence " + i + " of document " + text.id() + ": span [" + s.begin() + ", " + s.end()
                        + ") outside the text of " + text.text().length() + " characters");
            }
        }
        try {
            writer.updateDocuments(new Term(IndexSchema.ID, text.id()), IndexSchema.block(text));
        } catch (IOException | AlreadyClosedException e) {
            throw writeFailure(e);
        }
    }

    /** Deletes a text and its sentences; returns whether it existed (in the searchable state). */
    boolean delete(String id) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            boolean existed = s.count(new TermQuery(new Term(IndexSchema.ID, id))) > 0;
            writer.deleteDocuments(new Term(IndexSchema.ID, id));
            return existed;
        } catch (AlreadyClosedException e) {
            throw writeFailure(e);
        } finally {
            searchers.release(s);
        }
    }

    /** Makes every change so far durable, atomically, and lets searches see it. */
    void commit() throws IOException {
        try {
            writer.commit();
        } catch (IOException | AlreadyClosedException e) {
            throw writeFailure(e);
        }
        searchers.maybeRefreshBlocking();
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

    /** Closes the Lucene writer (which commits pending changes and live commit data, as Lucene's close does). */
    void close() throws IOException {
        writer.close();
    }
}
