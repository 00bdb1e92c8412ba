package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static final Map<String, Long> COUNTS = Map.of("the", 10L, "cat", 3L, "sat", 3L, "mat", 1L, "on", 5L);

    @Test
    void specialsComeFirstThenTokensByCountThenAlphabetically() {
        Vocabulary v = Vocabulary.build(COUNTS, 100, 1);
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "the", "on", "cat", "sat", "mat"), v.tokens());
        assertEquals(Vocabulary.PAD_ID, v.id("<pad>"));
        assertEquals(Vocabulary.EOS_ID, v.id("</s>"));
    }

    @Test
    void maxSizeAndMinCountLimitTheVocabulary() {
        Vocabulary v = Vocabulary.build(COUNTS, 6, 1);
        assertEquals(6, v.size());
        assertFalse(v.contains("cat"));
        assertEquals(Vocabulary.UNK_ID, v.id("cat"));
        Vocabulary m = Vocabulary.build(COUNTS, 100, 3);
        assertFalse(m.contains("mat"));
        assertTrue(m.contains("sat"));
    }

    @Test
    void illegalSizesAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(COUNTS, 4, 1));
        assertTrue(e.getMessage().contains("illegal vocabulary size 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(COUNTS, 10, 0));
        assertTrue(e.getMessage().contains("illegal minimum count 0"), e.getMessage());
    }

    @Test
    void writeAndReadRoundTrip(@TempDir Path dir) throws Exception {
        Vocabulary v = Vocabulary.build(COUNTS, 100, 1);
        Path f = dir.resolve("vocab.txt");
        v.write(f);
        assertEquals(v.tokens(), Vocabulary.read(f).tokens());
    }

    @Test
    void aFileWithoutTheSpecialsNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vocab.txt");
        Files.writeString(f, "the\ncat\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void sentenceEncoderTruncatesFlagsAndCountsUnknowns() {
        Vocabulary v = Vocabulary.build(COUNTS, 100, 1);
        SentenceEncoder enc = new SentenceEncoder(TokenNormalizer.defaults(), v, 3);
        EncodedSentence s = enc.encode(List.of("The", "dog", "sat", "on", "the", "mat"));
        assertTrue(s.truncated());
        assertEquals(6, s.originalLength());
        assertEquals(List.of(v.id("the"), Vocabulary.UNK_ID, v.id("sat"), Vocabulary.EOS_ID), List.of(s.ids()[0], s.ids()[1], s.ids()[2], s.ids()[3]));
        assertEquals(1, s.unknownCount());
        EncodedSentence empty = enc.encode(List.of());
        assertEquals(1, empty.length());
        assertEquals(Vocabulary.EOS_ID, empty.ids()[0]);
        assertFalse(empty.truncated());
    }
}
