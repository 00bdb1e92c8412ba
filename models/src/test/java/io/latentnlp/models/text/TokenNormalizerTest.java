package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void cliticsAndDashesAreJoinedTheWayBrownAndOpenNlpWriteThem() {
        TokenNormalizer n = TokenNormalizer.defaults();
        // CoreNLP (PTB-style) and OpenNLP (UD EWT) tokenizations of the same sentences
        assertEquals(n.normalize(List.of("The", "jury", "'s", "members", "do", "n't", "agree", "--", "users", "'", "rights", "cannot", "wait", ".")),
                n.normalize(List.of("The", "jury's", "members", "don't", "agree", "-", "-", "users'", "rights", "can", "not", "wait", ".")));
        assertEquals(List.of("the", "jury's", "don't", "users'", "cannot", "--"), n.normalize(List.of("the", "jury", "'s", "do", "n't", "users", "'", "can", "not", "-", "-")));
        assertEquals(List.of("and/or", "the", "law", "."), n.normalize(List.of("and", "/", "or", "the", "law.")));
        assertEquals(n.normalize(List.of("``", "culture", "''")), n.normalize(List.of("`", "`", "culture", "'", "'")));
        assertEquals(List.of("the", "u.n.", "troops"), n.normalize(List.of("the", "u.n", ".", "troops")));
        assertEquals(List.of("see", "http://www.apache.org/licenses/license-0.0"), n.normalize(List.of("see", "http://www.apache.org/", "licenses/LICENSE-2.0")));
        assertEquals(List.of("a", "five-month", "lull", "--", "well-to-do"), n.normalize(List.of("a", "five", "-", "month", "lull", "--", "well", "-", "to", "-", "do")));
        assertEquals(n.normalize(List.of("five", "-", "month")), n.normalize(List.of("five-", "month")));
        assertEquals(n.normalize(List.of("culture", "clusters", "''", "and")), n.normalize(List.of("culture", "clusters", "'", "'", "and")));
        assertEquals(List.of("inc.", "u.s."), n.normalize(List.of("Inc.", "U.S.")), "abbreviations keep their periods");
        // a quote or clitic after punctuation, or at the start, stays on its own
        assertEquals(List.of("'s", "(", "'s", "hello", "'"), n.normalize(List.of("'s", "(", "'s", "hello", "'")));
        // v1 bundles keep their behaviour
        TokenNormalizer v1 = TokenNormalizer.fromSpec(new TokenNormalizer(true, true).spec());
        assertEquals(List.of("do", "n't"), v1.normalize(List.of("do", "n't")));
        assertEquals("latent-nlp-v2", n.spec().get("name"));
        assertEquals(n, TokenNormalizer.fromSpec(n.spec()));
    }

    @Test
    void alignmentNamesTheFirstInputTokenOfEveryNormalizedToken() {
        List<String> in = List.of("The", "jury", "'s", " ", "five", "-", "month", "do", "n't", "and", "/", "or", "law.");
        TokenNormalizer.Aligned a = n.normalizeAligned(in);
        assertEquals(n.normalize(in), a.tokens());
        assertEquals(List.of("the", "jury's", "five-month", "don't", "and/or", "law", "."), a.tokens());
        // "jury" + "'s" -> 1; the blank is dropped; "five - month" -> 4; "law." split -> both 12
        assertArrayEquals(new int[] {0, 1, 4, 7, 9, 12, 12}, a.origins());
        assertArrayEquals(new int[] {0, 1}, n.normalizeAligned(List.of("``", "x")).origins());
        assertArrayEquals(new int[] {0, 2}, n.normalizeAligned(List.of("`", "`", "x")).origins());
    }
}
