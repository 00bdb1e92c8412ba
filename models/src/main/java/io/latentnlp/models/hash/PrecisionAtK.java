package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Retrieval precision of binary codes as the semantic-hashing literature measures it (VDSH,
 * NASH): every query retrieves the {@code k} database items nearest in Hamming distance, and its
 * precision is the fraction of them that share its label; the result is the mean over queries.
 *
 * <p>Ties at the k-th distance are broken by database position (lower index first), so the
 * result is deterministic; callers that want a random tie order shuffle the database with a
 * fixed seed first. Exact (a full scan per query with counting by distance). Stateless.
 */
public final class PrecisionAtK {

    private PrecisionAtK() {}

    /**
     * @param queries query codes
     * @param queryLabels label per query
     * @param database database codes, all of the queries' length
     * @param databaseLabels label per database item
     * @param k items retrieved per query (at most the database size)
     * @return mean precision@k over the queries, in [0, 1]
     */
    public static double mean(List<SemanticHash> queries, List<String> queryLabels, List<SemanticHash> database, List<String> databaseLabels, int k) {
        if (queries.size() != queryLabels.size() || database.size() != databaseLabels.size()) {
            throw new IllegalArgumentException("every code needs a label: " + queries.size() + " queries with " + queryLabels.size() + " labels, "
                    + database.size() + " database items with " + databaseLabels.size() + " labels");
        }
        if (k < 1 || k > database.size()) {
            throw new IllegalArgumentException("illegal k " + k + ": must be in [1, " + database.size() + "]");
        }
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no queries");
        }
        int bits = database.get(0).bits();
        long[][] db = new long[database.size()][];
        for (int i = 0; i < db.length; i++) {
            if (database.get(i).bits() != bits) {
                throw new IllegalArgumentException("database item " + i + " has " + database.get(i).bits() + " bits, item 0 has " + bits);
            }
            db[i] = database.get(i).words();
        }
        return IntStream.range(0, queries.size()).parallel().mapToDouble(q -> {
            if (queries.get(q).bits() != bits) {
                throw new IllegalArgumentException("query " + q + " has " + queries.get(q).bits() + " bits, the database " + bits);
            }
            return precision(queries.get(q).words(), queryLabels.get(q), db, databaseLabels, bits, k);
        }).sum() / queries.size();
    }

    private static double precision(long[] query, String label, long[][] db, List<String> dbLabels, int bits, int k) {
        int[] distance = new int[db.length];
        int[] count = new int[bits + 1];
        for (int i = 0; i < db.length; i++) {
            int d = 0;
            for (int w = 0; w < query.length; w++) {
                d += Long.bitCount(query[w] ^ db[i][w]);
            }
            distance[i] = d;
            count[d]++;
        }
        // The radius that holds k items, and how many items at exactly that radius are taken.
        int radius = 0;
        int below = 0;
        while (below + count[radius] < k) {
            below += count[radius];
            radius++;
        }
        int takeAtRadius = k - below;
        int relevant = 0;
        for (int i = 0; i < db.length; i++) {
            if (distance[i] < radius || (distance[i] == radius && takeAtRadius-- > 0)) {
                if (dbLabels.get(i).equals(label)) {
                    relevant++;
                }
            }
        }
        return (double) relevant / k;
    }
}
