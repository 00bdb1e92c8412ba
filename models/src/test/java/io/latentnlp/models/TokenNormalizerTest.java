package io.latentnlp.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenNormalizerTest {

    private final TokenNormalizer n = TokenNormalizer.defaults();

    @Test
    void ptbEscapesBecomeTheBracketsTheyStandFor() {
        assertEquals(List.of("(", ")", "[", "]", "{", "}"), n.normalize(List.of("-LRB-", "-RRB-", "-LSB-", "-RSB-", "-LCB-", "-RCB-")));
    }

    @Test
    void everyQuoteFormOfOnePipelineMatchesTheOthers() {
        for (String q : List.of("``", "''", "\u201C", "\u201D", "\"")) {
            assertEquals("\"", n.normalize(q), "double quote form " + q);
        }
        for (String q : List.of("`", "\u2018", "\u2019", "'")) {
            assertEquals("'", n.normalize(q), "single quote form " + q);
        }
        for (String d : List.of("--", "---", "\u2013", "\u2014")) {
            assertEquals("--", n.normalize(d), "dash form " + d);
        }
    }

    @Test
    void lowercasesAndMapsDigitsToZero() {
        assertEquals("the", n.normalize("The"));
        assertEquals("0,000", n.normalize("1,964"));
        assertEquals("$0.00", n.normalize("$3.50"));
        assertEquals("The", new TokenNormalizer(false, false).normalize("The"));
        assertEquals("1964", new TokenNormalizer(true, false).normalize("1964"));
    }

    @Test
    void dropsTokensThatNormalizeToNothing() {
        assertEquals(List.of("a", "b"), n.normalize(List.of("a", " ", "", "b")));
    }

    @Test
    void keepsNonLatinScriptAndEmoji() {
        assertEquals("\u043c\u043e\u0441\u043a\u0432\u0430", n.normalize("\u041c\u043e\u0441\u043a\u0432\u0430"));
        assertEquals("\uD83D\uDE00", n.normalize("\uD83D\uDE00"));
    }

    @Test
    void specRoundTripsAndUnknownSpecIsRejected() {
        TokenNormalizer custom = new TokenNormalizer(false, true);
        assertEquals(custom, TokenNormalizer.fromSpec(custom.spec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenNormalizer.fromSpec(Map.of("name", "other")));
        assertTrue(e.getMessage().contains("unknown token normalizer 'other'"), e.getMessage());
    }
}
