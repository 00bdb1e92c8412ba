package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.runtime.PretrainedBackbone;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubwordsTest {

    private static final List<String> CORPUS = List.of("the players were playing in the park", "the player played well", "a park ranger",
            "rangers play in parks",
            "we don't go to the football ground .");

    /** A cut segmenter over a tiny corpus, and its model vocabulary. */
    private static Subwords cut(int size) {
        try (Subwords full = Subwords.ofBackbone(PretrainedBackbone.MINILM)) {
            Map<String, Long> counts = new HashMap<>();
            for (String s : CORPUS) {
                full.segment(List.of(s.split(" "))).pieces().forEach(p -> counts.merge(p, 1L, Long::sum));
            }
            return Subwords.fromJson(full.restrict(Subwords.choose(counts, size)), "test");
        }
    }

    @Test
    void fullVocabularySegmentsPreTokenizedWordsAndKeepsTheirIndex() {
        try (Subwords full = Subwords.ofBackbone(PretrainedBackbone.MINILM)) {
            Subwords.Segmented s = full.segment(List.of("unbelievably", "don't", "park"));
            assertEquals(String.join("", Subwords.join(s.pieces())).replace(" ", ""), "unbelievablydon'tpark");
            // "don't" is split at its apostrophe by the BERT pre-tokenizer, but its pieces stay word 1
            int[] words = s.words();
            assertEquals(0, words[0]);
            assertEquals(2, words[words.length - 1]);
            for (int i = 1; i < words.length; i++) {
                assertTrue(words[i] >= words[i - 1]);
            }
            assertTrue(s.pieces().size() > 3, "some word is split: " + s.pieces());
        }
    }

    @Test
    void aCutVocabularyStillSegmentsEveryWordOfKnownCharacters() {
        try (Subwords cut = cut(60)) {
            Vocabulary v = cut.vocabulary();
            assertTrue(v.size() <= 64, "size " + v.size());
            // words never seen, made of seen characters: no unknown piece
            Subwords.Segmented s = cut.segment(List.of("replay", "garden", "sleeper"));
            assertFalse(s.pieces().contains(Subwords.UNK_PIECE), s.pieces().toString());
            assertEquals(List.of("replay", "garden", "sleeper"), Subwords.join(s.pieces()));
            for (String p : s.pieces()) {
                assertTrue(v.contains(p), p);
            }
            // a character the corpus never used: the word is one unknown piece, the others are fine
            Subwords.Segmented z = cut.segment(List.of("park", "zoo"));
            assertEquals(List.of("park", Subwords.UNK_PIECE), z.pieces());
            assertArrayEquals(new int[] {0, 1}, z.words());
        }
    }

    @Test
    void chooseRefusesASizeThatCannotHoldTheCharacters() {
        Map<String, Long> counts = Map.of("a", 5L, "##b", 3L, "c", 1L, "abc", 9L, "cd", 2L, Subwords.UNK_PIECE, 4L);
        assertEquals(List.of("a", "##a", "b", "##b", "c", "##c", "d", "##d", "abc"), Subwords.choose(counts, 9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Subwords.choose(counts, 5));
        assertTrue(e.getMessage().contains("8 single characters"), e.getMessage());
    }

    @Test
    void encoderAttributesPiecesToPipelineTokensAndSumsThem() {
        try (Subwords cut = cut(200)) {
            Vocabulary v = cut.vocabulary();
            SentenceEncoder enc = new SentenceEncoder(TokenNormalizer.defaults(), v, 60, cut);
            // "do" + "n't" are joined by the normalizer; "groundskeeper", unseen, splits into pieces
            List<String> tokens = List.of("Rangers", "do", "n't", "play", "groundskeeper", ".");
            EncodedSentence e = enc.encode(tokens);
            assertEquals(0, e.unknownCount());
            assertEquals(e.ids().length - 1, e.origins().length);
            assertEquals("rangers don't play groundskeeper .", e.text());
            float[] perUnit = new float[e.ids().length];
            java.util.Arrays.fill(perUnit, -1f);
            double[] perToken = e.perToken(perUnit, tokens.size());
            int units = e.ids().length - 1;
            double total = 0;
            for (double d : perToken) {
                total += Double.isNaN(d) ? 0 : d;
            }
            assertEquals(-units, total, 1e-9, "every unit is attributed to exactly one token");
            assertTrue(Double.isNaN(perToken[2]), "n't was joined to do and has no unit of its own");
            assertTrue(perToken[4] < -1, "groundskeeper is more than one piece: " + perToken[4]);
            // truncation counts units and keeps the text of the words they belong to
            EncodedSentence t = new SentenceEncoder(TokenNormalizer.defaults(), v, 2, cut).encode(tokens);
            assertTrue(t.truncated());
            assertEquals(units, t.originalLength());
            assertEquals(3, t.ids().length);
        }
    }

    @Test
    void bundleJsonRoundTripsAndBadJsonIsABundleError() {
        try (Subwords cut = cut(60); Subwords again = Subwords.fromJson(cut.json(), "again")) {
            assertEquals(cut.pieces(), again.pieces());
        }
        BundleException e = assertThrows(BundleException.class, () -> Subwords.fromJson("{\"model\":{\"type\":\"BPE\"}}".getBytes(StandardCharsets.UTF_8), "x.json"));
        assertTrue(e.getMessage().startsWith("x.json"), e.getMessage());
    }
}
