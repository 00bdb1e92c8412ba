package io.latentnlp.models.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrecisionAtKTest {

    private static SemanticHash h(String hex) {
        return SemanticHash.fromHex(hex, 4 * hex.length());
    }

    @Test
    void countsLabelMatchesAmongTheKNearestWithTiesByDatabaseOrder() {
        List<SemanticHash> db = List.of(h("0000"), h("0001"), h("ffff"), h("0003"), h("0001"));
        List<String> labels = List.of("a", "b", "a", "a", "a");
        // nearest to 0000: 0000 (d0, a), then 0001 (d1, b) and 0001 (d1, a) tie -> index 1 first
        assertEquals(0.5, PrecisionAtK.mean(List.of(h("0000")), List.of("a"), db, labels, 2), 1e-12);
        assertEquals(2.0 / 3, PrecisionAtK.mean(List.of(h("0000")), List.of("a"), db, labels, 3), 1e-12);
        assertEquals(0.8, PrecisionAtK.mean(List.of(h("0000")), List.of("a"), db, labels, 5), 1e-12);
    }

    @Test
    void matchesABruteForceSortOnRandomCodes() {
        SplittableRandom rng = new SplittableRandom(4);
        List<SemanticHash> db = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            boolean[] b = new boolean[16];
            for (int j = 0; j < 16; j++) {
                b[j] = rng.nextInt(4) == 0;
            }
            db.add(SemanticHash.fromBits(b));
            labels.add("l" + rng.nextInt(3));
        }
        for (int q = 0; q < 20; q++) {
            SemanticHash query = db.get(q);
            Integer[] order = new Integer[db.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingInt(i -> query.hamming(db.get(i))).thenComparingInt(i -> i));
            int relevant = 0;
            for (int i = 0; i < 50; i++) {
                relevant += labels.get(order[i]).equals(labels.get(q)) ? 1 : 0;
            }
            assertEquals(relevant / 50.0, PrecisionAtK.mean(List.of(query), List.of(labels.get(q)), db, labels, 50), 1e-12);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        List<SemanticHash> db = List.of(h("00"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrecisionAtK.mean(List.of(h("00")), List.of("a"), db, List.of("a"), 2))
                .getMessage().contains("illegal k 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrecisionAtK.mean(List.of(h("0000")), List.of("a"), db, List.of("a"), 1))
                .getMessage().contains("query 0 has 16 bits, the database 8"));
    }
}
