package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz properties of {@link TokenNormalizer} on arbitrary Unicode tokens (the normalizer reads
 * every token of every outside text): it never throws, never returns a token with surrounding
 * white space, and normalizing twice changes nothing.
 */
class TokenNormalizerFuzzTest {

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars("-LRBRSBCBlrbrsbcb`'\"09İıßẞΣσς ǅ\u00A0\u2028").ofMaxLength(8),
                Arbitraries.of("-LRB-", "-RRB-", "-LSB-", "-RSB-", "-LCB-", "-RCB-", "``", "''", "---", "n't", "'s", "İ", "ß", "1999", "٣"));
    }

    @Provide
    Arbitrary<TokenNormalizer> normalizers() {
        return Arbitraries.integers().between(0, 7).map(f -> new TokenNormalizer((f & 1) != 0, (f & 2) != 0, (f & 4) != 0));
    }

    @Property(seed = "20261208")
    void normalizingATokenNeverThrowsAndIsIdempotent(@ForAll("normalizers") TokenNormalizer normalizer, @ForAll("tokens") String token) {
        String once = normalizer.normalize(token);
        assertEquals(once.strip(), once);
        assertTrue(!once.isEmpty() || token.isBlank(), "only a blank token normalizes to nothing: '" + token + "'");
        assertEquals(once, normalizer.normalize(once), "normalizing '" + token + "' twice changed it");
    }

    @Property(seed = "20261209")
    void normalizingATokenListNeverThrowsAndDropsOnlyBlanks(@ForAll("normalizers") TokenNormalizer normalizer, @ForAll("tokenLists") List<String> tokens) {
        List<String> out = normalizer.normalize(tokens);
        assertTrue(out.size() <= tokens.size());
        out.forEach(t -> assertTrue(!t.isBlank(), "a blank token survived: " + out));
    }

    @Provide
    Arbitrary<List<String>> tokenLists() {
        return tokens().list().ofMaxSize(12);
    }
}
