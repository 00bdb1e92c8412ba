package io.latentnlp.training.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {

    @TempDir
    Path dir;

    @Test
    void plainTextSkipsAndCountsBlankLines() throws Exception {
        Path f = dir.resolve("c.txt");
        Files.writeString(f, "\uFEFFThe cat sat .\n\n   \nA dog ran .\n");
        Corpus c = CorpusReader.read(f);
        assertEquals(2, c.size());
        assertEquals(2, c.blankLines());
        assertEquals(4, c.lines());
        assertEquals(List.of("The", "cat", "sat", "."), c.sentences().get(0).tokens());
        assertEquals(4, c.sentences().get(1).line());
    }

    @Test
    void preparedBrownFormatCarriesDocumentAndGenre() throws Exception {
        Path f = dir.resolve("train.tsv");
        Files.writeString(f, "ca01\tnews\tThe jury said .\ncb02\teditorial\t`` Yes '' .\n");
        Corpus c = CorpusReader.read(f);
        assertEquals("ca01", c.sentences().get(0).docId());
        assertEquals("editorial", c.sentences().get(1).genre());
        assertEquals(List.of("``", "Yes", "''", "."), c.sentences().get(1).tokens());
    }

    @Test
    void malformedBrownLineIsNamed() throws Exception {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "ca01\tnews\tok .\njust some words\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: expected 3 tab-separated fields"), e.getMessage());
    }

    @Test
    void invalidUtf8IsAnErrorWithFileAndLine() throws Exception {
        Path f = dir.resolve("latin1.txt");
        byte[] good = "first line .\nsecond line .\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "caf\u00e9 .\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(f, all);
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: invalid UTF-8 at byte 30 (line 3): 0xe9"), e.getMessage());
    }

    @Test
    void aLoneCarriageReturnEndsALineAsNewlinesDo() throws Exception {
        Path mac = dir.resolve("mac.txt");
        Files.writeString(mac, "first line .\rsecond line .\r\rthird .\r");
        Corpus c = CorpusReader.read(mac);
        assertEquals(3, c.sentences().size(), "three sentences, not one line");
        assertEquals(List.of("second", "line", "."), c.sentences().get(1).tokens());
        assertEquals(4, c.sentences().get(2).line(), "line numbers count the empty line");
        Path tsv = dir.resolve("mac.tsv");
        Files.writeString(tsv, "ca01\tnews\tone .\rca01\tnews\ttwo .\r\n");
        assertEquals(2, CorpusReader.read(tsv).sentences().size());
    }

    @Test
    void emptyAndMissingCorporaAreErrors() throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.read(empty));
        assertTrue(e.getMessage().contains("no sentences (2 lines, 2 blank)"), e.getMessage());
        e = assertThrows(CorpusException.class, () -> CorpusReader.read(dir.resolve("absent.txt")));
        assertTrue(e.getMessage().startsWith("corpus file not found"), e.getMessage());
    }

    @Test
    void overLongSentencesAreTruncatedAndCounted() throws Exception {
        Path f = dir.resolve("long.txt");
        Files.writeString(f, "a b c d e f g h\na b\n\n");
        Vocabulary v = Vocabulary.build(Map.of("a", 1L, "b", 1L), 10, 1);
        EncodedCorpus c = EncodedCorpus.of(CorpusReader.read(f), new SentenceEncoder(TokenNormalizer.defaults(), v, 5));
        assertEquals(1, c.truncated());
        assertEquals(1, c.blankLines());
        assertEquals(6, c.ids().get(0).length);
        assertEquals(7, c.tokens());
        assertEquals(3.0 / 7, c.unknownRate(), 1e-12);
    }
}
