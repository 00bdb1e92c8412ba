package io.latentnlp.models.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzz properties of {@link SemanticHash#fromHex}, the reader of hex codes given on the command
 * line, in queries and in index files: a string either parses to the hash whose hex form is that
 * string (lower-cased), or is refused with an {@link IllegalArgumentException} that says why.
 */
class SemanticHashFuzzTest {

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMaxLength(80),
                Arbitraries.strings().withChars("0123456789abcdefABCDEFgG -xX٣０Ａ\u0000").ofMaxLength(80),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    @Property(seed = "20261206")
    void aHexCodeRoundTripsOrIsRefusedWithAReason(@ForAll("codes") String hex, @ForAll @IntRange(min = -8, max = 320) int randomBits,
            @ForAll boolean lengthFits) {
        // Mostly the length the code needs, so that the characters themselves are tested.
        int bits = lengthFits ? hex.length() * 4 : randomBits;
        SemanticHash hash;
        try {
            hash = SemanticHash.fromHex(hex, bits);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("illegal hash length") || e.getMessage().contains("hex code"), e.getMessage());
            return;
        }
        assertEquals(bits, hash.bits());
        assertEquals(hex.toLowerCase(Locale.ROOT), hash.toHex(), "the parsed hash must print as its input");
    }

    @Property(seed = "20261207")
    void everyHashRoundTripsThroughHex(@ForAll @IntRange(min = 1, max = 80) int digits, @ForAll long a, @ForAll long b, @ForAll long c, @ForAll long d,
            @ForAll long e) {
        int bits = digits * 4;
        long[] words = {a, b, c, d, e};
        long[] used = java.util.Arrays.copyOf(words, (bits + 63) / 64);
        int rest = bits % 64;
        if (rest != 0) {
            used[used.length - 1] &= -1L << (64 - rest);
        }
        SemanticHash hash = SemanticHash.fromWords(used, bits);
        String hex = hash.toHex();
        assertEquals(hash, SemanticHash.fromHex(hex, bits));
        assertEquals(hash, SemanticHash.fromHex(hex.toUpperCase(Locale.ROOT), bits));
        assertFalse(hex.chars().anyMatch(ch -> Character.digit(ch, 16) < 0));
    }
}
