package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as users call it: exit codes, stdout for results, stderr for diagnostics. */
class LatentNlpTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = LatentNlp.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path corpus(Path file, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        String[][] words = {{"the", "cat", "sat", "on", "a", "mat"}, {"ships", "sail", "the", "wide", "sea", "today"}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String[] t = words[rng.nextInt(2)];
            for (int j = 0, len = 2 + rng.nextInt(6); j < len; j++) {
                sb.append(t[rng.nextInt(t.length)]).append(' ');
            }
            sb.append(".\n");
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("train") && help.out().contains("eval"), help.out());
        assertEquals(0, run("train", "--help").code());
        assertEquals(0, run("eval", "--help").code());
    }

    @Test
    void badUsageExitsTwoAndSaysWhy() {
        Run r = run("eval", "-m", "m.vae", "--corpus", "c.txt", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        r = run("train", "--train", "t.txt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required options"), r.err());
        assertEquals(2, run().code());
    }

    @Test
    void trainThenEvalPrintsTheMetricTable(@TempDir Path dir) throws Exception {
        Path train = corpus(dir.resolve("train.txt"), 120, 1);
        Path valid = corpus(dir.resolve("valid.txt"), 30, 2);
        Run t = run("train", "--train", train.toString(), "--valid", valid.toString(), "--run-dir", dir.resolve("run").toString(), "--name", "tiny",
                "--epochs", "1", "--embedding-dim", "16", "--hidden-dim", "24", "--latent-dim", "4", "--vocab-size", "50", "--min-count", "1", "--eval-samples", "2");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("IW-NLL (K=2)"), t.out());
        assertTrue(t.out().contains("bundle: " + dir.resolve("run/tiny.vae")), t.out());
        assertTrue(t.err().contains("epoch 1/1"), "progress goes to stderr");
        String command = (String) io.latentnlp.models.ModelBundle.load(dir.resolve("run/tiny.vae")).manifest().provenance().get("command");
        assertTrue(command.startsWith("latent-nlp train --train " + train), "the manifest records the command line: " + command);

        Run b = run("bench", "--run-dir", dir.resolve("run").toString(), "-m", dir.resolve("run/tiny.vae").toString(), "--corpus", valid.toString(),
                "--sentences", "20", "--repeats", "1", "--train-steps", "2");
        assertEquals(0, b.code(), b.err());
        for (String row : new String[] {"| encode | ONNX Runtime | 1 |", "| score | DJL (PyTorch) | 64 |", "| train | LSTM-LM (DJL) |"}) {
            assertTrue(b.out().contains(row), b.out());
        }

        Run e = run("eval", "-m", dir.resolve("run/tiny.vae").toString(), "--corpus", valid.toString(), "-k", "3", "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith("{") && e.out().contains("\"iw_samples\":3"), e.out());
    }

    @Test
    void missingFilesExitOneNamingThem(@TempDir Path dir) throws Exception {
        Path valid = corpus(dir.resolve("valid.txt"), 5, 2);
        Run r = run("train", "--train", dir.resolve("absent.txt").toString(), "--valid", valid.toString(), "--run-dir", dir.resolve("run").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("corpus file not found: " + dir.resolve("absent.txt")), r.err());

        Path broken = dir.resolve("broken.vae");
        Files.writeString(broken, "not a zip");
        r = run("eval", "-m", broken.toString(), "--corpus", valid.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(broken + " is not a readable bundle"), r.err());
    }
}
