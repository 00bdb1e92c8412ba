package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiIndexHashTest {

    /**
     * MIH against the linear scan: same neighbours, same distances, same order, for k-NN and
     * radius search, on uniform and clustered codes, with and without latents (cosine ties).
     */
    @ParameterizedTest(name = "{0} bits, m={1}, clusters={2}, latents={3}")
    @CsvSource({
        "16, 1, 0, false", "16, 2, 20, true", "32, 2, 0, false", "32, 3, 50, false",
        "64, 4, 0, false", "64, 3, 30, true", "64, 8, 100, false", "100, 5, 10, false",
        "128, 4, 0, false", "128, 6, 40, true", "256, 8, 20, false"})
    void exactResultsEqualTheLinearScan(int bits, int m, int clusters, boolean latents) {
        PackedCodes codes = CodeFixtures.codes(3000, bits, clusters, 0.08, latents, bits * 31L + m);
        LinearScan scan = new LinearScan(codes);
        MultiIndexHash mih = new MultiIndexHash(codes, new SubstringLayout(bits, m));
        SplittableRandom rng = new SplittableRandom(bits + m);
        for (int q = 0; q < 300; q++) {
            // half the queries are perturbed database codes (near neighbours exist), half uniform
            long[] query = q % 2 == 0 ? CodeFixtures.near(codes.code(rng.nextInt(codes.size())), bits, 0.05, rng) : CodeFixtures.uniform(bits, rng);
            float[] latent = latents ? CodeFixtures.latent(rng) : null;
            for (int k : new int[] {1, 10, 100}) {
                assertEquals(scan.knn(query, k, latent), mih.knn(query, k, latent), "k=" + k + " query " + q);
            }
            for (int r : new int[] {0, bits / 16, bits / 8}) {
                assertEquals(scan.radius(query, r, latent), mih.radius(query, r, latent), "r=" + r + " query " + q);
            }
        }
    }

    @Test
    void knnReturnsTheKNearestWithAllTiesResolvedByOrdinal() {
        PackedCodes codes = new PackedCodes(16, 8);
        for (String hex : new String[] {"ffff", "0000", "0001", "0003", "8000", "0001"}) {
            codes.add(SemanticHash.fromHex(hex, 16), null);
        }
        long[] q = SemanticHash.fromHex("0000", 16).words();
        List<Neighbor> got = new MultiIndexHash(codes, new SubstringLayout(16, 2)).knn(q, 3, null);
        assertEquals(List.of(new Neighbor(1, 0, Double.NaN), new Neighbor(2, 1, Double.NaN), new Neighbor(4, 1, Double.NaN)), got);
        assertEquals(6, new LinearScan(codes).knn(q, 50, null).size(), "k above the size returns everything");
    }

    @Test
    void substringNeighbourEnumerationIsCompleteAndDistinct() {
        for (int len : new int[] {1, 5, 16, 21}) {
            for (int s = 0; s <= Math.min(len, 4); s++) {
                Set<Long> seen = new HashSet<>();
                long value = (0x5a5a5L) & ((1L << len) - 1);
                int[] count = {0};
                int dist = s;
                SubstringLayout.forEachAtDistance(value, len, s, v -> {
                    assertEquals(dist, Long.bitCount(v ^ value));
                    assertTrue(v >= 0 && v < (1L << len));
                    seen.add(v);
                    count[0]++;
                });
                assertEquals(binomial(len, s), count[0]);
                assertEquals(count[0], seen.size());
            }
        }
    }

    @Test
    void substringsCoverTheCodeAndReassembleIt() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int bits : new int[] {16, 37, 64, 100, 256}) {
            for (int m = (bits + 31) / 32; m <= Math.min(bits, 9); m++) {
                SubstringLayout layout = new SubstringLayout(bits, m);
                long[] code = CodeFixtures.uniform(bits, rng);
                boolean[] rebuilt = new boolean[bits];
                int at = 0;
                for (int j = 0; j < m; j++) {
                    long v = layout.substring(code, j);
                    for (int b = 0; b < layout.length(j); b++) {
                        rebuilt[at++] = ((v >>> (layout.length(j) - 1 - b)) & 1) == 1;
                    }
                }
                assertEquals(bits, at);
                SemanticHash h = new SemanticHashView(code, bits).hash();
                for (int i = 0; i < bits; i++) {
                    assertEquals(h.bit(i), rebuilt[i], bits + " bits, m=" + m + ", bit " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SubstringLayout(256, 4));
        assertEquals(3, SubstringLayout.forSize(64, 10_000_000).substrings());
    }

    private record SemanticHashView(long[] words, int bits) {
        SemanticHash hash() {
            boolean[] b = new boolean[bits];
            for (int i = 0; i < bits; i++) {
                b[i] = ((words[i >>> 6] >>> (63 - (i & 63))) & 1) == 1;
            }
            return SemanticHash.fromBits(b);
        }
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
