package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.models.hash.SemanticHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code index add} with the shipped default model on a real Lucene index: ids, clashes, replacement, nothing written on failure. */
class IndexAddTest {

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.capture(new byte[0], () -> LatentNlp.execute(args));
    }

    private Path write(String relative, String text) throws Exception {
        return write(dir, relative, text);
    }

    /** Writes {@code dir/relative} (directories created) and returns it. */
    static Path write(Path dir, String relative, String text) throws Exception {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    /** The text stored under each id (document level), read back from Lucene. */
    private static Map<String, String> texts(Path index) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (HashIndex idx = HashIndex.openForReading(index, null)) {
            int bits = idx.identity().bits();
            for (Hit h : idx.radius(Level.DOCUMENT, SemanticHash.fromWords(new long[(bits + 63) / 64], bits), bits, null)) {
                out.put(h.id(), h.text());
            }
        }
        return out;
    }

    /** Every file of the index directory with its size and modification time: what a failed call must leave alone. */
    private static Map<String, String> files(Path index) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(index)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }

    @Test
    void filesWithTheSameNameAreTwoTextsIdentifiedByTheirPathsUnderTheRoot() throws Exception {
        Path a = write("a/notes.txt", "The jury said it did not find any evidence .\n");
        Path b = write("b/notes.txt", "She smiled and walked into the kitchen .\n");
        Path index = dir.resolve("idx");
        CliRun r = run("index", "add", "--index", index.toString(), "--root", dir.toString(), a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("indexed 2 texts (2 sentences)"), r.out());
        assertEquals(Map.of("a/notes.txt", "the jury said it did not find any evidence .", "b/notes.txt", "she smiled and walked into the kitchen ."),
                lowercase(texts(index)));
        // --root is normalized, and an explicit --id names a single file's text.
        CliRun c = run("index", "add", "--index", index.toString(), "--root", dir.resolve("a/../b/.") + "", "--id", "kitchen-again", b.toString());
        assertEquals(0, c.code(), c.err());
        assertEquals(Set.of("a/notes.txt", "b/notes.txt", "kitchen-again"), texts(index).keySet());
    }

    private static Map<String, String> lowercase(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.toLowerCase()));
        return out;
    }

    @Test
    void aClashWithinOneCallNamesBothSourcesAndWritesNothing() throws Exception {
        Path one = write("one.txt", "The jury said so .\n");
        Path index = dir.resolve("idx");
        CliRun twice = run("index", "add", "--index", index.toString(), "--root", dir.toString(), one.toString(), one.toString());
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("two texts have the id 'one.txt': " + one + " and " + one), twice.err());
        assertFalse(Files.exists(index), "nothing written: not even the index directory");

        Path x = write("x.tsv", "d1\tnews\tThe jury said so .\nd2\tnews\tShe smiled .\n");
        Path y = write("y.tsv", "d9\tnews\tShips sail .\nd2\tfiction\tThe mat .\n");
        CliRun tsv = run("index", "add", "--index", index.toString(), x.toString(), y.toString());
        assertEquals(1, tsv.code());
        assertTrue(tsv.err().contains("two texts have the id 'd2': " + x + ":2 and " + y + ":2"), tsv.err());
        assertFalse(Files.exists(index));
    }

    @Test
    void anIdAlreadyInTheIndexIsRefusedUnlessReplacingAndTheRefusalWritesNothing() throws Exception {
        Path one = write("one.txt", "The jury said so .\n");
        Path other = write("other/one.txt", "Ships sail the wide sea .\n");
        Path index = dir.resolve("idx");
        assertEquals(0, run("index", "add", "--index", index.toString(), "--root", dir.toString(), one.toString()).code());
        Map<String, String> before = files(index);

        CliRun clash = run("index", "add", "--index", index.toString(), "--root", dir.resolve("other").toString(), other.toString());
        assertEquals(1, clash.code());
        assertTrue(clash.err().contains("1 of the ids are already in index " + index + ": 'one.txt' (" + other + "); pass --replace"), clash.err());
        assertEquals(before, files(index), "the refused call wrote nothing");
        assertEquals(Map.of("one.txt", "the jury said so ."), lowercase(texts(index)));

        CliRun replace = run("index", "add", "--index", index.toString(), "--root", dir.resolve("other").toString(), "--replace", other.toString());
        assertEquals(0, replace.code(), replace.err());
        assertTrue(replace.out().startsWith("indexed 1 text (1 sentence, 1 replaced)"), replace.out());
        assertEquals(Map.of("one.txt", "ships sail the wide sea ."), lowercase(texts(index)));
    }

    @Test
    void badIdsRootsIndexesAndSubstringsAreNamed() throws Exception {
        Path one = write("one.txt", "The jury said so .\n");
        Path two = write("two.txt", "She smiled .\n");
        Path index = dir.resolve("idx");
        CliRun id = run("index", "add", "--index", index.toString(), "--id", "x", one.toString(), two.toString());
        assertEquals(2, id.code(), "--id with two files is bad usage");
        assertTrue(id.err().contains("--id names the text of one non-.tsv file"), id.err());
        CliRun negative = run("index", "add", "--index", index.toString(), "--root", dir.toString(), "--substrings", "-5", one.toString());
        assertEquals(2, negative.code(), "not ignored");
        assertTrue(negative.err().contains("Invalid value for option '--substrings': -5 (must be at least 0)"), negative.err());
        CliRun tooMany = run("index", "add", "--index", index.toString(), "--root", dir.toString(), "--substrings", "65", one.toString());
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("Invalid value for option '--substrings': 65 (illegal number of substrings 65 for 64-bit codes"), tooMany.err());
        assertFalse(Files.exists(index));

        CliRun file = run("index", "add", "--index", one.toString(), two.toString());
        assertEquals(1, file.code());
        assertTrue(file.err().contains("--index " + one + " is a file, not an index directory"), file.err());
    }

    @Test
    void statsOfAnEmptyIndexSayNotApplicableForBytesPerCode() throws Exception {
        Path one = write("one.txt", "The jury said so .\n");
        Path index = dir.resolve("idx");
        assertEquals(0, run("index", "add", "--index", index.toString(), "--root", dir.toString(), one.toString()).code());
        assertEquals(0, run("index", "delete", "--index", index.toString(), "one.txt").code());
        CliRun stats = run("index", "stats", "--index", index.toString());
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("documents   0") && stats.out().contains("(bytes per indexed code: n/a, no codes)"), stats.out());
        assertEquals(List.of(), List.copyOf(texts(index).keySet()));
    }
}
