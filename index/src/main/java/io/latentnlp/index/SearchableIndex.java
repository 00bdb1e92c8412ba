package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.util.List;

/**
 * What a search needs from a semantic-hash index, one Lucene index ({@link HashIndex}) or many
 * ({@link ShardedHashIndex}): its identity, exact k-NN and radius queries ranked by distance,
 * latent cosine, then id and sentence position. Implementations are thread-safe.
 */
public interface SearchableIndex extends AutoCloseable {

    /** The model and hash spec of the index's codes. */
    IndexIdentity identity();

    /** The k nearest documents or sentences to a code; fewer when the index holds fewer. */
    List<Hit> knn(Level level, SemanticHash query, int k, float[] queryLatent) throws IOException;

    /** Every document or sentence within Hamming distance r of a code, ranked. */
    List<Hit> radius(Level level, SemanticHash query, int r, float[] queryLatent) throws IOException;

    @Override
    void close() throws IOException;
}
