package io.latentnlp.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/** One in-process run of a command-line entry point: its exit code, stdout and stderr (tests only). */
public record CliRun(int code, String out, String err) {

    /** Runs {@code main} with {@code stdin} as System.in, capturing System.out and System.err. */
    public static synchronized CliRun capture(byte[] stdin, IntSupplier main) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = main.getAsInt();
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Writes {@code n} seeded toy sentences (two small topics), one per line, and returns the file. */
    public static Path corpus(Path file, int n, long seed) throws Exception {
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
}
