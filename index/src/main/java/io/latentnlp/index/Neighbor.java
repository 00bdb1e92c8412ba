package io.latentnlp.index;

/**
 * One search result of an in-memory index.
 *
 * @param ordinal the code's position in its {@link PackedCodes}
 * @param distance Hamming distance to the query
 * @param cosine cosine similarity of the stored latent to the query latent (NaN when either is absent)
 */
public record Neighbor(int ordinal, int distance, double cosine) {}
