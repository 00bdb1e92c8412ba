package io.latentnlp.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Collects (ordinal, distance) pairs during a search and turns them into the final ranking:
 * distance ascending, then latent cosine to the query descending (when the query and the codes
 * have latents), then ordinal ascending. The one ranking every searcher here uses, so exact
 * searches agree item for item. Not thread-safe; one per query.
 */
final class Candidates {

    private int[] ordinals = new int[64];
    private int[] distances = new int[64];
    private int size;

    void add(int ordinal, int distance) {
        if (size == ordinals.length) {
            ordinals = Arrays.copyOf(ordinals, size * 2);
            distances = Arrays.copyOf(distances, size * 2);
        }
        ordinals[size] = ordinal;
        distances[size] = distance;
        size++;
    }

    int size() {
        return size;
    }

    int ordinal(int i) {
        return ordinals[i];
    }

    int distance(int i) {
        return distances[i];
    }

    /** Drops candidates farther than {@code maxDistance} (in place). */
    void retainWithin(int maxDistance) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (distances[i] <= maxDistance) {
                ordinals[kept] = ordinals[i];
                distances[kept] = distances[i];
                kept++;
            }
        }
        size = kept;
    }

    /**
     * The k best of the candidates within {@code maxDistance}, ranked.
     *
     * @param codes for latents (tie-breaking)
     * @param queryLatent the query's latent, or null
     */
    List<Neighbor> ranked(int k, int maxDistance, PackedCodes codes, float[] queryLatent) {
        List<Neighbor> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (distances[i] <= maxDistance) {
                out.add(new Neighbor(ordinals[i], distances[i], cosine(queryLatent, codes.latent(ordinals[i]))));
            }
        }
        out.sort(ORDER);
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    /** Distance, then cosine (higher first; NaN compares equal), then ordinal. */
    static final Comparator<Neighbor> ORDER = (a, b) -> {
        int c = compareDistanceThenCosine(a.distance(), a.cosine(), b.distance(), b.cosine());
        return c != 0 ? c : Integer.compare(a.ordinal(), b.ordinal());
    };

    /** The ranking before the final tie-break: distance ascending, then cosine descending when both are known. */
    static int compareDistanceThenCosine(int d1, double cos1, int d2, double cos2) {
        int c = Integer.compare(d1, d2);
        if (c != 0 || Double.isNaN(cos1) || Double.isNaN(cos2)) {
            return c;
        }
        return Double.compare(cos2, cos1);
    }

    /** Cosine similarity, or NaN when either vector is absent or zero. */
    static double cosine(float[] a, float[] b) {
        return io.latentnlp.models.latent.LatentSpace.cosine(a, b);
    }
}
