package io.latentnlp.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz properties of {@link CorpusReader} on random prepared-Brown {@code .tsv} and plain files:
 * lines built from tabs, spaces, words, CJK, emoji, stray carriage returns and invalid UTF-8
 * bytes either parse to exactly the sentences an independent reading of the bytes gives, or fail
 * with a {@link CorpusException} naming {@code file:line} (or the file, for an empty corpus).
 */
class CorpusReaderFuzzTest {

    private static final Pattern NAMES_A_LINE = Pattern.compile(".*\\.(tsv|txt):\\d+: .*", Pattern.DOTALL);

    @Provide
    Arbitrary<List<byte[]>> lines() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of("\t", " ", "  ", "the", "Dog", "ca01", "news", "中文", "😀", "\u00A0", "\u3000", "\r", "", "\uFEFF")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().all().ofMaxLength(4).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        Arbitrary<byte[]> line = piece.list().ofMaxSize(10).map(CorpusReaderFuzzTest::join);
        return Arbitraries.oneOf(line, Arbitraries.of("ca01\tnews\tThe dog barked .", "ca02\tfiction\tA", "").map(s -> s.getBytes(StandardCharsets.UTF_8)))
                .list().ofMaxSize(8);
    }

    @Property(seed = "20261214")
    void aTsvCorpusParsesExactlyOrFailsNamingFileAndLine(@ForAll("lines") List<byte[]> lines, @ForAll boolean tsv) throws IOException {
        Path file = Files.createTempFile("fuzz", tsv ? ".tsv" : ".txt");
        try {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] l : lines) {
                content.writeBytes(l);
                content.write('\n');
            }
            byte[] bytes = content.toByteArray();
            Files.write(file, bytes);
            List<List<String>> expected = expected(bytes, tsv);
            try {
                Corpus corpus = CorpusReader.read(file);
                assertTrue(expected != null, "read a corpus the reference refuses: " + corpus);
                List<List<String>> got = new ArrayList<>();
                for (CorpusSentence s : corpus.sentences()) {
                    got.add(tsv ? List.of(s.docId(), s.genre(), String.join(" ", s.tokens())) : List.of(String.join(" ", s.tokens())));
                }
                assertEquals(expected, got);
            } catch (CorpusException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith(file.toString()), m);
                assertTrue(NAMES_A_LINE.matcher(m).matches() || m.contains(": no sentences ("), m);
                if (expected != null) {
                    assertTrue(expected.isEmpty() && m.contains("no sentences"), "refused a corpus the reference reads: " + m);
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    /** The sentences by the documented format, or null when some line is invalid. */
    private static List<List<String>> expected(byte[] bytes, boolean tsv) {
        if (!Arrays.equals(bytes, new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!tsv) {
                out.add(List.of(String.join(" ", words(line))));
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                return null;
            }
            out.add(List.of(f[0], f[1], String.join(" ", words(f[2]))));
        }
        return out;
    }

    private static List<String> words(String s) {
        List<String> w = new ArrayList<>();
        for (String t : s.strip().split("\\s+")) {
            if (!t.isEmpty()) {
                w.add(t);
            }
        }
        return w;
    }

    private static byte[] join(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
