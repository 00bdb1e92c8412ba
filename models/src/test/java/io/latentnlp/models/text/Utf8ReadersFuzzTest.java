package io.latentnlp.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzz properties of the strict UTF-8 line readers every surface uses for user text (corpora,
 * the OpenNLP tools' input lines, annotate input): valid text comes back line for line, and a
 * mutated byte gives either the exact lines of the mutated input or an
 * {@link InvalidUtf8Exception} naming the first bad byte and its line, never a silent U+FFFD.
 * Oracle for validity: bytes are valid UTF-8 exactly when the JDK's lenient decoding round-trips
 * them. Tries: {@code jqwik.tries.default} (200 in {@code mvn verify}, more in {@code scripts/fuzz.sh}).
 */
class Utf8ReadersFuzzTest {

    private static final String[] TERMINATORS = {"\n", "\r\n", "\r"};

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.strings().all().excludeChars('\n', '\r').ofMaxLength(40),
                Arbitraries.strings().withChars("ab é中文😀\t\u0000\uFEFF").ofMaxLength(12));
        // Unpaired surrogates have no UTF-8 form; they are not text a file can hold.
        return line.filter(s -> isWellFormed(s)).list().ofMaxSize(12);
    }

    @Property(seed = "20261202")
    void validTextComesBackLineForLine(@ForAll("lines") List<String> lines, @ForAll @Size(max = 12) List<@IntRange(max = 2) Integer> ends,
            @ForAll @IntRange(min = 1, max = 9) int chunk) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String end = TERMINATORS[i < ends.size() ? ends.get(i) : 0];
            if (lines.get(i).isEmpty() && end.equals("\n") && text.length() > 0 && text.charAt(text.length() - 1) == '\r') {
                end = "\r\n"; // a lone \r then \n would be one \r\n terminator, not two
            }
            text.append(lines.get(i)).append(end);
        }
        List<String> expected = new ArrayList<>(lines);
        if (!expected.isEmpty() && expected.get(0).startsWith("\uFEFF")) {
            expected.set(0, expected.get(0).substring(1)); // a leading byte-order mark is dropped
        }
        assertEquals(expected, readAll(text.toString().getBytes(StandardCharsets.UTF_8), chunk));
    }

    @Property(seed = "20261203")
    void mutatedBytesGiveTheExactLinesOrAnErrorNamingTheFirstBadByte(@ForAll("lines") List<String> lines,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 10_000) Integer> positions, @ForAll @Size(min = 4, max = 4) List<Byte> values,
            @ForAll @IntRange(min = 1, max = 9) int chunk) throws IOException {
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            for (int i = 0; i < positions.size(); i++) {
                bytes[positions.get(i) % bytes.length] = values.get(i);
            }
        }
        checkAgainstOracle(bytes, chunk);
    }

    @Property(seed = "20261204")
    void randomBytesGiveTheExactLinesOrAnErrorNamingTheFirstBadByte(@ForAll @Size(max = 200) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 9) int chunk) throws IOException {
        checkAgainstOracle(bytes, chunk);
    }

    /** The OpenNLP tools' replacing mode: never throws; invalid bytes become U+FFFD in flagged lines only. */
    @Property(seed = "20261216")
    void replacingModeNeverThrowsAndFlagsExactlyTheDamagedLines(@ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 1, max = 9) int chunk)
            throws IOException {
        Utf8LineReader reader = new Utf8LineReader(new Trickle(bytes, chunk), true);
        List<String> got = new ArrayList<>();
        boolean anyReplaced = false;
        for (Utf8LineReader.Line l = reader.next(); l != null; l = reader.next()) {
            got.add(l.text());
            anyReplaced |= l.replaced();
            assertTrue(l.replaced() || isWellFormed(l.text()), l.toString());
        }
        assertEquals(!isValid(bytes), anyReplaced);
        assertEquals(referenceLines(new String(bytes, StandardCharsets.UTF_8)), got);
    }

    @Property(seed = "20261205")
    void decodeTextEitherDecodesExactlyOrNamesTheFirstBadByte(@ForAll @Size(max = 200) byte[] bytes) {
        boolean valid = isValid(bytes);
        try {
            String text = StrictUtf8.decodeText(bytes);
            assertTrue(valid, "decoded invalid UTF-8 silently: " + Arrays.toString(bytes));
            assertArrayEquals(bytes, text.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidUtf8Exception e) {
            assertTrue(!valid, "rejected valid UTF-8: " + e.getMessage());
            int at = (int) e.offset();
            assertTrue(isValid(Arrays.copyOf(bytes, at)), "the bytes before the reported offset must be valid: " + e.getMessage());
            assertEquals(bytes[at] & 0xff, e.value());
            assertEquals(lineOf(bytes, at), e.line());
            assertTrue(e.getMessage().contains("at byte " + at + " (line " + e.line() + ")"), e.getMessage());
        }
    }

    private static void checkAgainstOracle(byte[] bytes, int chunk) throws IOException {
        boolean valid = isValid(bytes);
        try {
            List<String> got = readAll(bytes, chunk);
            assertTrue(valid, "read invalid UTF-8 silently: " + Arrays.toString(bytes));
            assertEquals(referenceLines(new String(bytes, StandardCharsets.UTF_8)), got);
            got.forEach(l -> assertTrue(isWellFormed(l)));
        } catch (InvalidUtf8Exception e) {
            assertTrue(!valid, "rejected valid UTF-8: " + e.getMessage());
            int at = (int) e.offset();
            // The first bad byte of the whole input: everything before it is valid.
            assertEquals(StrictUtf8.firstInvalid(bytes), at, e.getMessage());
            assertEquals(bytes[at] & 0xff, e.value());
            assertEquals(lineOf(bytes, at), e.line(), e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid UTF-8 at byte " + at + " (line " + e.line() + ")"), e.getMessage());
        }
    }

    private static List<String> readAll(byte[] bytes, int chunk) throws IOException {
        Utf8LineReader reader = new Utf8LineReader(new Trickle(bytes, chunk), false);
        List<String> out = new ArrayList<>();
        for (Utf8LineReader.Line l = reader.next(); l != null; l = reader.next()) {
            assertEquals(out.size() + 1, l.number());
            assertTrue(!l.replaced());
            out.add(l.text());
        }
        return out;
    }

    /** The lines of a decoded text by the reader's documented rules, written independently. */
    private static List<String> referenceLines(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> parts = new ArrayList<>(Arrays.asList(text.split("\r\n|\r|\n", -1)));
        if (parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    private static int lineOf(byte[] bytes, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && bytes[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }

    static boolean isValid(byte[] bytes) {
        return Arrays.equals(bytes, new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    static boolean isWellFormed(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** Serves at most {@code chunk} bytes a read, to cross the reader's buffer refills everywhere. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            this.in = new ByteArrayInputStream(bytes);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, chunk));
        }
    }
}
