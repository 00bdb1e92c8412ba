package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayoutPlannerTest {

    /**
     * 64-bit codes of 32 random bits, each written twice side by side (bit 2i + 1 is bit 2i, flipped
     * with probability 0.1): contiguous substrings hold pairs of near-copies and take far fewer
     * values than their length promises.
     */
    static PackedCodes correlated(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PackedCodes codes = new PackedCodes(64, n);
        for (int i = 0; i < n; i++) {
            long code = 0;
            for (int b = 0; b < 32; b++) {
                long bit = rng.nextInt(2);
                long copy = rng.nextDouble() < 0.1 ? 1 - bit : bit;
                code |= bit << (63 - 2 * b) | copy << (62 - 2 * b);
            }
            codes.add(new long[] {code}, null);
        }
        return codes;
    }

    @Test
    void correlatedBitsAreDealtToDifferentSubstrings() {
        PackedCodes codes = correlated(20_000, 1);
        LayoutPlanner.Plan plan = LayoutPlanner.plan(codes, 4);
        SubstringLayout layout = plan.layout();
        assertNotNull(layout.order(), "a permuted layout");
        int[] substringOf = new int[64];
        for (int j = 0; j < layout.substrings(); j++) {
            for (int p = layout.start(j); p < layout.start(j) + layout.length(j); p++) {
                substringOf[layout.order()[p]] = j;
            }
        }
        for (int b = 0; b < 64; b += 2) {
            assertTrue(substringOf[b] != substringOf[b + 1], "bit " + b + " and its copy " + (b + 1) + " share substring " + substringOf[b] + ": " + layout);
        }
        // Buckets: a code's own bucket holds about 1.3 codes in the planned layout, about 17 in the contiguous one.
        double planned = meanBucket(codes, layout);
        double contiguous = meanBucket(codes, new SubstringLayout(64, 4));
        assertTrue(planned * 5 < contiguous, "mean bucket of a code: planned " + planned + ", contiguous " + contiguous);
        assertTrue(plan.meanAbsCorrelation() > 0.01 && plan.meanBalance() > 0.45, plan.toString());
    }

    /** Size of a code's own bucket, averaged over codes and tables: sum of squared bucket sizes / n, per table. */
    private static double meanBucket(PackedCodes codes, SubstringLayout layout) {
        double total = 0;
        for (int j = 0; j < layout.substrings(); j++) {
            Map<Long, Integer> seen = new HashMap<>();
            for (int i = 0; i < codes.size(); i++) {
                seen.merge(layout.substring(codes.code(i), j), 1, Integer::sum);
            }
            total += seen.values().stream().mapToDouble(c -> (double) c * c).sum() / codes.size();
        }
        return total / layout.substrings();
    }

    @Test
    void plannedLayoutsSearchExactly() {
        PackedCodes codes = correlated(5_000, 2);
        MultiIndexHash mih = new MultiIndexHash(codes, LayoutPlanner.plan(codes, 0).layout());
        LinearScan scan = new LinearScan(codes);
        SplittableRandom rng = new SplittableRandom(3);
        for (int q = 0; q < 200; q++) {
            long[] query = q % 2 == 0 ? CodeFixtures.near(codes.code(rng.nextInt(codes.size())), 64, 0.05, rng) : CodeFixtures.uniform(64, rng);
            for (int k : new int[] {1, 10, 100}) {
                assertEquals(scan.knn(query, k, null), mih.knn(query, k, null), "k=" + k + " query " + q);
            }
            assertEquals(scan.radius(query, 6, null), mih.radius(query, 6, null), "r=6 query " + q);
        }
    }

    @Test
    void moreCodesGetLongerSubstrings() {
        SplittableRandom rng = new SplittableRandom(4);
        int previous = Integer.MAX_VALUE;
        for (int n : new int[] {300, 20_000, 400_000}) {
            PackedCodes codes = new PackedCodes(64, n);
            for (int i = 0; i < n; i++) {
                codes.add(CodeFixtures.uniform(64, rng), null);
            }
            int m = LayoutPlanner.plan(codes, 0).layout().substrings();
            assertTrue(m <= previous, "m=" + m + " for " + n + " uniform codes, after m=" + previous + " for fewer");
            previous = m;
        }
        assertTrue(previous <= 4, "400,000 uniform 64-bit codes: m=" + previous + " (substrings of about log2 n = 18.6 bits expected)");
    }

    @Test
    void aFixedNumberOfSubstringsIsKeptAndCheckedAndTinySetsWork() {
        PackedCodes codes = correlated(1_000, 5);
        assertEquals(5, LayoutPlanner.plan(codes, 5).layout().substrings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayoutPlanner.plan(codes, 1));
        assertTrue(e.getMessage().contains("longer than 32 bits; use at least 2"), e.getMessage());
        PackedCodes one = new PackedCodes(64, 1);
        one.add(new long[] {42L}, null);
        assertEquals(List.of(new Neighbor(0, 0, Double.NaN)), new MultiIndexHash(one, LayoutPlanner.plan(one, 0).layout()).knn(new long[] {42L}, 3, null));
        assertEquals(0, new MultiIndexHash(new PackedCodes(64, 0), LayoutPlanner.plan(new PackedCodes(64, 0), 0).layout()).knn(new long[] {1L}, 3, null).size());
    }
}
