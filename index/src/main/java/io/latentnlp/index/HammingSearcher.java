package io.latentnlp.index;

import java.util.List;

/**
 * Exact search in Hamming space over a {@link PackedCodes}. Results are ranked by distance, then
 * by latent cosine to the query (when both have latents), then by ordinal; two exact searchers
 * return the same list.
 */
public interface HammingSearcher {

    PackedCodes codes();

    /**
     * The k nearest codes (fewer when there are fewer codes).
     *
     * @param query packed query code of the index's length
     * @param queryLatent the query's latent for tie-breaking, or null
     */
    List<Neighbor> knn(long[] query, int k, float[] queryLatent);

    /** Every code within distance r, ranked. */
    List<Neighbor> radius(long[] query, int r, float[] queryLatent);

    /** Argument checks shared by implementations. */
    static void check(PackedCodes codes, long[] query, int k) {
        if (query.length != codes.words()) {
            throw new IllegalArgumentException("query of " + query.length + " words for " + codes.bits() + "-bit codes (" + codes.words() + " words)");
        }
        if (k < 1) {
            throw new IllegalArgumentException("illegal k " + k + ": must be at least 1");
        }
    }
}
