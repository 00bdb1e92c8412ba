package io.latentnlp.index.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.corpus.CorpusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RealCodes#distinctSentences} reads corpora as every other tool does, through {@code CorpusReader}. */
class RealCodesTest {

    @TempDir
    Path dir;

    @Test
    void sentencesOfBrownAndPlainFilesAreTheirTokensInFirstSeenOrderWithoutRepeats() throws Exception {
        Path tsv = Files.writeString(dir.resolve("train.tsv"), "d1\tnews\tThe  jury said .\n\nd2\tnews\tA dog ran .\nd3\tfiction\tThe jury said .\n");
        Path txt = Files.writeString(dir.resolve("more.txt"), "  A dog ran .\r\nprices rose\n");
        assertEquals(List.of("The jury said .", "A dog ran .", "prices rose"), RealCodes.distinctSentences(List.of(tsv, txt)));
    }

    @Test
    void aTsvLineWithoutThreeFieldsFailsNamingTheFileAndLine() throws Exception {
        // The hand-written parser took such a line whole, so a broken corpus was encoded without notice.
        Path tsv = Files.writeString(dir.resolve("broken.tsv"), "d1\tnews\tThe jury said .\nA dog ran across the road .\n");
        CorpusException e = assertThrows(CorpusException.class, () -> RealCodes.distinctSentences(List.of(tsv)));
        assertTrue(e.getMessage().contains("broken.tsv:2: expected 3 tab-separated fields"), e.getMessage());
    }

    @Test
    void invalidUtf8FailsNamingTheFileAndLineAndTheFix() throws Exception {
        Path txt = Files.write(dir.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        CorpusException e = assertThrows(CorpusException.class, () -> RealCodes.distinctSentences(List.of(txt)));
        assertTrue(e.getMessage().contains("latin1.txt:2: ") && e.getMessage().contains("iconv"), e.getMessage());
    }
}
