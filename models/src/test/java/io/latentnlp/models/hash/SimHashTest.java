package io.latentnlp.models.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimHashTest {

    @Test
    void similarTextsGetCloserCodesThanUnrelatedOnes() {
        SplittableRandom rng = new SplittableRandom(1);
        List<int[]> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int[] d = new int[20];
            for (int j = 0; j < d.length; j++) {
                d[j] = rng.nextInt(500);
            }
            docs.add(d);
        }
        SimHash sim = new SimHash(docs, 500, 128, 7);
        int[] a = docs.get(0);
        int[] nearA = a.clone();
        nearA[0] = 499;
        nearA[1] = 498;
        double near = sim.hash(a).hamming(sim.hash(nearA));
        double far = 0;
        for (int i = 1; i < 50; i++) {
            far += sim.hash(a).hamming(sim.hash(docs.get(i)));
        }
        far /= 49;
        // Unrelated TF-IDF vectors are nearly orthogonal: about half the bits differ.
        assertTrue(far > 50 && far < 78, "unrelated texts differ in " + far + " of 128 bits");
        assertTrue(near < 40, "a text with 2 of 20 tokens changed differs in " + near + " bits");
    }

    @Test
    void codesAreDeterministicInTheSeed() {
        List<int[]> docs = List.of(new int[] {1, 2, 3}, new int[] {3, 4});
        SemanticHash x = new SimHash(docs, 10, 32, 3).hash(new int[] {1, 4});
        assertEquals(x, new SimHash(docs, 10, 32, 3).hash(new int[] {1, 4}));
        assertEquals(32, x.bits());
    }
}
