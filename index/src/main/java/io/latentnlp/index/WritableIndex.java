package io.latentnlp.index;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;

/**
 * What {@code latent-nlp index add} and {@code delete} need from an index open for writing, one
 * Lucene index ({@link HashIndex#openForWriting}) or a sharded one
 * ({@link ShardedHashIndex#openForWriting}, which routes each id to its shard). Changes are
 * durable after {@link #commit()}; a text added again under its id replaces the old one.
 * Implementations are thread-safe.
 */
public interface WritableIndex extends AutoCloseable {

    /** The model and hash spec of the index's codes. */
    IndexIdentity identity();

    /** Adds a text, replacing any text of the same id. Not durable until {@link #commit()}. */
    void add(HashIndex.Text text) throws IOException;

    /** Deletes a text and its sentences; returns whether it existed. */
    boolean delete(String id) throws IOException;

    /** Which of {@code ids} the index holds, every change so far included. */
    Set<String> existing(Collection<String> ids) throws IOException;

    /** Makes every change so far durable. */
    void commit() throws IOException;

    /** Counts and sizes, every change so far included. */
    HashIndex.Stats stats() throws IOException;

    @Override
    void close() throws IOException;
}
