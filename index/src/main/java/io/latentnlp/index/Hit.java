package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;

/**
 * A search result of a {@link SearchableIndex} ({@link HashIndex} or {@link ShardedHashIndex}).
 * Results come ranked by distance, then latent cosine to the query (when both are known), then id
 * (in Unicode code point order, which is Lucene's UTF-8 term order), then sentence position.
 *
 * @param id the text's id
 * @param sentence the sentence's position in the text, or -1 for a document hit
 * @param distance Hamming distance to the query code
 * @param cosine latent cosine to the query (NaN when either has none)
 * @param text the document's text, or the sentence's
 * @param hash the hit's code
 */
public record Hit(String id, int sentence, int distance, double cosine, String text, SemanticHash hash) {}
