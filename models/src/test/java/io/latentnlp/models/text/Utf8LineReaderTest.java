package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

    private static List<String> lines(byte[] input) throws IOException {
        Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(input), false);
        List<String> out = new ArrayList<>();
        for (Utf8LineReader.Line l = r.next(); l != null; l = r.next()) {
            assertEquals(out.size() + 1, l.number());
            out.add(l.text());
        }
        return out;
    }

    private static List<String> lines(String input) throws IOException {
        return lines(input.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crLfAndLoneCrAllEndLines() throws IOException {
        assertEquals(List.of("one", "two", "three"), lines("one\rtwo\rthree\r"), "old Mac line ends");
        assertEquals(List.of("one", "two", "three"), lines("one\r\ntwo\r\nthree"));
        assertEquals(List.of("a", "", "b", "c", "", "d"), lines("a\n\nb\r\nc\r\rd\n"), "mixed, with empty lines kept");
        assertEquals(List.of(), lines(""));
        assertEquals(List.of(""), lines("\n"));
        assertEquals(List.of(""), lines("\r\n"));
        assertEquals(List.of("", ""), lines("\r\r"));
    }

    @Test
    void aCrLfPairSplitAcrossReadsIsOneLineEnd() throws IOException {
        // A stream that hands out one byte per read, as a pipe may.
        byte[] bytes = "ab\r\ncd\r".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        Utf8LineReader r = new Utf8LineReader(trickle, false);
        Utf8LineReader.Line first = r.next();
        Utf8LineReader.Line second = r.next();
        assertEquals("ab", first.text());
        assertEquals("cd", second.text());
        assertEquals(4, second.offset(), "the second line starts after \\r\\n");
        assertNull(r.next());
    }

    @Test
    void aByteOrderMarkAtTheStartIsDropped() throws IOException {
        assertEquals(List.of("x", "\uFEFFy"), lines("\uFEFFx\n\uFEFFy"), "only at the start of the input");
    }

    @Test
    void anInvalidByteIsReportedWithItsOffsetAndLine() {
        byte[] bad = {'o', 'k', '\r', 'a', 'b', (byte) 0xC3, '(', '\n'};
        InvalidUtf8Exception e = assertThrows(InvalidUtf8Exception.class, () -> lines(bad));
        assertEquals(5, e.offset());
        assertEquals(2, e.line());
        assertEquals("invalid UTF-8 at byte 5 (line 2): 0xc3", e.getMessage());
        InvalidUtf8Exception whole = assertThrows(InvalidUtf8Exception.class, () -> StrictUtf8.decodeText(bad));
        assertEquals(e.getMessage(), whole.getMessage(), "the whole-text decoder counts lines the same way");
    }

    @Test
    void replacingFlagsTheLineAndKeepsGoing() throws IOException {
        byte[] bad = {'o', 'k', '\n', 'b', (byte) 0xFF, '\n', 'z'};
        Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(bad), true);
        assertFalse(r.next().replaced());
        Utf8LineReader.Line l = r.next();
        assertTrue(l.replaced());
        assertEquals("b\uFFFD", l.text());
        assertEquals("z", r.next().text());
        assertEquals(3, r.lines());
    }
}
