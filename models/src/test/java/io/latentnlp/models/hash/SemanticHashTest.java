package io.latentnlp.models.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SemanticHashTest {

    private static boolean[] random(int n, SplittableRandom rng) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = rng.nextBoolean();
        }
        return b;
    }

    @Test
    void bitsAndHexRoundTripForEveryLength() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {4, 16, 32, 60, 64, 68, 128, 200, 256}) {
            boolean[] b = random(n, rng);
            SemanticHash h = SemanticHash.fromBits(b);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], h.bit(i), "bit " + i + " of " + n);
            }
            assertEquals(h, SemanticHash.fromHex(h.toHex(), n));
            assertEquals(n / 4, h.toHex().length());
        }
    }

    @Test
    void hexReadsTheBitsInOrder() {
        SemanticHash h = SemanticHash.fromBits(new boolean[] {true, false, false, false, false, false, false, true});
        assertEquals("81", h.toHex());
    }

    @Test
    void hammingDistanceEqualsTheBitByBitCount() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 200; trial++) {
            int n = 16 * (1 + rng.nextInt(16));
            boolean[] a = random(n, rng);
            boolean[] b = random(n, rng);
            int expected = 0;
            for (int i = 0; i < n; i++) {
                expected += a[i] != b[i] ? 1 : 0;
            }
            assertEquals(expected, SemanticHash.fromBits(a).hamming(SemanticHash.fromBits(b)));
        }
    }

    @Test
    void badHexAndMismatchedLengthsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SemanticHash.fromHex("abcg", 16)).getMessage().contains("non-hex character 'g' at position 3"));
        // Found by SemanticHashFuzzTest: non-ASCII digits were read as hex and printed back changed.
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SemanticHash.fromHex("ab\u0663c", 16)).getMessage().contains("non-hex character '\u0663' at position 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SemanticHash.fromHex("\uFF21bcd", 16)).getMessage().contains("non-hex character '\uFF21' at position 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SemanticHash.fromHex("abc", 16)).getMessage().contains("has 3 digits; a 16-bit hash has 4"));
        SemanticHash a = SemanticHash.fromHex("abcd", 16);
        SemanticHash b = SemanticHash.fromHex("abcdabcd", 32);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.hamming(b)).getMessage().contains("16-bit hash with a 32-bit hash"));
    }
}
