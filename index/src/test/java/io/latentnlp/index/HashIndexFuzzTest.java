package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzz properties of {@link HashIndex#openForReading} on index directories with a file flipped,
 * cut, deleted or added, or made of random files: opening and searching either answers exactly
 * as the intact index does, or fails with an {@link IOException} (Lucene's checksum and format
 * errors, "no index at") or an {@link IndexMismatchException}, never another exception.
 */
class HashIndexFuzzTest {

    private static final int BITS = 32;
    private static final SemanticHash QUERY = SemanticHash.fromWords(new long[] {0x1234_5678_0000_0000L}, BITS);
    private static Path template;
    private static List<String> expected;

    static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory(scratch(), "fuzz-index");
            PackedCodes codes = CodeFixtures.codes(60, BITS, 5, 0.1, false, 7);
            try (HashIndex index = HashIndex.openForWriting(dir, HashIndexTest.identity(BITS), 2)) {
                for (int i = 0; i < 60; i++) {
                    SemanticHash h = SemanticHash.fromWords(codes.code(i), BITS);
                    index.add(new HashIndex.Text(HashIndexTest.id(i), "a", h, null, List.of(new HashIndex.Sentence(0, 1, h, null))));
                    if (i == 30) {
                        index.commit();
                    }
                }
                index.commit();
            }
            expected = search(dir);
            template = dir;
        }
        return template;
    }

    @Property(seed = "20261215")
    void aDamagedIndexDirectoryAnswersAsBeforeOrFailsClearly(@ForAll @IntRange(max = 1000) int fileIndex, @ForAll @IntRange(max = 4) int damage,
            @ForAll @IntRange(max = 1 << 20) int position, @ForAll @Size(min = 1, max = 64) byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory(scratch(), "fuzz-index-copy");
        try {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(template())) {
                s.sorted().forEach(files::add);
            }
            for (Path f : files) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
            Path victim = dir.resolve(files.get(fileIndex % files.size()).getFileName());
            byte[] content = Files.readAllBytes(victim);
            switch (damage) {
                case 0 -> { // overwrite bytes
                    for (int i = 0; i < bytes.length && content.length > 0; i++) {
                        content[(position + i) % content.length] = bytes[i];
                    }
                    Files.write(victim, content);
                }
                case 1 -> Files.write(victim, java.util.Arrays.copyOf(content, content.length == 0 ? 0 : position % content.length));
                case 2 -> Files.delete(victim);
                case 3 -> Files.write(dir.resolve(position % 2 == 0 ? "segments_" + Integer.toString(position % 40, 36) : "_z" + position + ".cfs"), bytes);
                default -> { // nothing but random files
                    try (Stream<Path> s = Files.list(dir)) {
                        s.forEach(HashIndexFuzzTest::delete);
                    }
                    Files.write(dir.resolve(position % 2 == 0 ? "segments_1" : "write.lock"), bytes);
                }
            }
            List<String> got;
            try {
                got = search(dir);
            } catch (IOException | IndexMismatchException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
                return;
            }
            assertFalse(damage == 4, "random files opened as an index");
            assertEquals(expected, got, "a damaged index answered differently without an error");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(HashIndexFuzzTest::delete);
            }
        }
    }

    /** Under the module's target/ (cleaned with the build) when run by Maven, else the system temp dir. */
    static Path scratch() throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? Files.createDirectories(target.resolve("fuzz")) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static List<String> search(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (HashIndex index = HashIndex.openForReading(dir, null)) {
            out.add(index.identity().toString());
            for (Level level : Level.values()) {
                for (Hit h : index.knn(level, QUERY, 5, null)) {
                    out.add(level + " " + h.id() + " " + h.sentence() + " " + h.distance() + " " + h.hash().toHex());
                }
                out.add("radius " + index.radius(level, QUERY, 8, null).size());
            }
            out.add("docs " + index.stats().documents());
        }
        return out;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
