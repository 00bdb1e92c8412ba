package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code index bench --real}: the real-codes benchmark end to end on a tiny codes file, and its input errors. */
class IndexBenchRealTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.capture(new byte[0], () -> LatentNlp.execute(args));
    }

    @Test
    void aTinyRealCodesRunChecksEveryMethodAgainstTheScanAndPrintsTheTables() throws Exception {
        // 400 "sentences" whose codes cluster around 20 centres, as a codes file the encoding step writes.
        SplittableRandom rng = new SplittableRandom(1);
        long[] centres = rng.longs(20).toArray();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long code = centres[i % 20] ^ (1L << rng.nextInt(64)) ^ (1L << rng.nextInt(64));
            lines.add(String.format("%016x\tsentence number %d .", code, i));
        }
        Path codes = Files.write(dir.resolve("codes.tsv"), lines);
        CliRun r = run("index", "bench", "--real", codes.toString(), "--sizes", "3000", "--queries", "40", "--scratch", dir.resolve("scratch").toString());
        assertEquals(0, r.code(), r.err());
        for (String q : new String[] {"k=1", "k=10", "k=100", "r=3"}) {
            assertTrue(r.out().contains("| 3,000 | " + q + " | durable HashIndex |"), r.out());
            assertTrue(r.out().contains("| 3,000 | " + q + " | linear scan |"), r.out());
        }
        assertTrue(r.out().contains("| 3,000 | 300 |"), "3,000 codes in texts of 10 sentences: " + r.out());
        // A second run reuses the index it built.
        CliRun again = run("index", "bench", "--real", codes.toString(), "--sizes", "3000", "--queries", "40", "--scratch", dir.resolve("scratch").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("reusing the index"), again.err());
    }

    @Test
    void aMissingCodesFileWithoutACorpusAndTooFewCodesAreUsageErrors() throws Exception {
        CliRun missing = run("index", "bench", "--real", dir.resolve("none.tsv").toString(), "--sizes", "1000");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist; give --corpus FILE,... to encode it first"), missing.err());
        Path few = Files.write(dir.resolve("few.tsv"), List.of("00000000000000ff\ta .", "00000000000000fe\tb ."));
        CliRun tooFew = run("index", "bench", "--real", few.toString(), "--sizes", "1000", "--queries", "10", "--scratch", dir.toString());
        assertTrue(tooFew.code() != 0);
        assertTrue(tooFew.err().contains("holds 2 codes, too few to hold out 60 queries"), tooFew.err());
        Path bad = Files.write(dir.resolve("bad.tsv"), List.of("not a code line"));
        CliRun broken = run("index", "bench", "--real", bad.toString(), "--sizes", "1000", "--scratch", dir.toString());
        assertTrue(broken.code() != 0);
        assertTrue(broken.err().contains("bad.tsv:1: not a 'hex<TAB>sentence' line"), broken.err());
    }
}
