package io.latentnlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the commands README.md gives, exactly as written, from the project root, against the
 * launcher this build packaged (cli/target), so the README cannot drift from the code.
 *
 * <p>README.md marks them with HTML comments before fenced blocks: {@code <!-- main-command -->}
 * (the first command of the set-up section: annotate the sample text with the shipped model),
 * {@code <!-- main-output -->} (an excerpt of that command's output, which must appear in the
 * real output), {@code <!-- test-command -->} (the test command, which .ci/run must call),
 * {@code <!-- check -->} (example blocks that must run as written) and {@code <!-- check-server -->}
 * (the CoreNLP server block, run on a free port).
 */
class ReadmeCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{16}");
    /** Markers stand alone on their line (a marker quoted in prose is not one). */
    private static final Pattern CHECK = Pattern.compile("(?m)^<!-- check -->[ \t]*$");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^<!-- output -->[ \t]*$");

    private static Path root;
    private static String readme;
    /** README.md and every docs/*.md page, by path relative to the root, README first. */
    private static final java.util.Map<String, String> PAGES = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void findProject() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no README.md above " + Path.of("").toAbsolutePath());
        root = dir;
        readme = Files.readString(root.resolve("README.md"));
        PAGES.put("README.md", readme);
        try (var docs = Files.list(root.resolve("docs"))) {
            for (Path page : docs.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                PAGES.put("docs/" + page.getFileName(), Files.readString(page));
            }
        }
        assertTrue(Files.exists(root.resolve("cli/target/latent-nlp-cli.jar")),
                "the launcher jar is packaged before this module's tests (reactor order); run mvn verify from the project root");
    }

    /** The lines of the fenced block after the first marker comment on any page, blank lines dropped. */
    static List<String> block(String marker) {
        for (String text : PAGES.values()) {
            Matcher m = Pattern.compile("(?m)^<!-- " + Pattern.quote(marker) + " -->[ \t]*$").matcher(text);
            if (m.find()) {
                return blockAt(text, m.start());
            }
        }
        throw new AssertionError("no page (README.md, docs/*.md) has a <!-- " + marker + " --> marker");
    }

    /** The non-blank lines of the first fenced block after position {@code at} of {@code text}. */
    static List<String> blockAt(String text, int at) {
        int open = text.indexOf("```", at);
        int start = text.indexOf('\n', open) + 1;
        int close = text.indexOf("```", start);
        List<String> lines = new ArrayList<>();
        for (String line : text.substring(start, close).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The end of the fenced block after {@code at}. */
    private static int blockEnd(String text, int at) {
        int open = text.indexOf("```", at);
        return text.indexOf("```", text.indexOf('\n', open) + 1) + 3;
    }

    /**
     * Checks that output shows what a block says it prints: every shown line, stripped, appears
     * in it; a line ending in {@code ...} is a prefix that must appear; a line that is only
     * {@code ...} stands for lines left out.
     */
    static void assertShows(String where, List<String> shown, String output) {
        for (String line : shown) {
            String s = line.strip();
            if (s.equals("...")) {
                continue;
            }
            String want = s.endsWith("...") ? s.substring(0, s.length() - 3).strip() : s;
            assertTrue(output.contains(want), where + " shows a line its command does not print: " + s + "\nit printed:\n" + output);
        }
    }

    /** A command line as it is to be typed: the part before a trailing {@code #} comment. */
    static String command(String line) {
        int hash = line.indexOf(" #");
        return (hash < 0 ? line : line.substring(0, hash)).trim();
    }

    @Test
    void theMainCommandAnnotatesTheSampleWithTheShippedModelAsTheReadmeShows() throws Exception {
        List<String> lines = block("main-command");
        assertEquals(1, lines.size(), "the main command is one line: " + lines);
        String command = command(lines.get(0));
        Path out = Files.createTempFile("readme-main", ".json");
        Path err = Files.createTempFile("readme-main", ".err");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "'" + command + "' did not finish in 5 minutes");
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), "'" + command + "' failed:\n" + stderr);
        assertFalse(stderr.contains("building (first use)"), "the launcher rebuilt the project inside the test: " + stderr);
        String stdout = Files.readString(out, StandardCharsets.UTF_8);

        JsonNode doc = JSON.readTree(stdout);
        assertEquals("minilm-gaussian64", doc.get("model").asText(), "the shipped default model");
        assertTrue(HEX64.matcher(doc.get("documentHash").asText()).matches(), doc.get("documentHash").toString());
        JsonNode sentences = doc.get("sentences");
        String sample = Files.readString(root.resolve(doc.get("file").asText()));
        assertEquals(sample.strip().split("\n").length, sentences.size(), "one sentence per line of the sample");
        for (JsonNode s : sentences) {
            assertTrue(HEX64.matcher(s.get("hash").asText()).matches(), s.toString());
            double logp = s.get("logLikelihood").asDouble();
            int n = s.get("modelTokens").asInt();
            assertTrue(logp < 0 && Double.isFinite(logp), "log p(x|z) " + logp);
            assertEquals(logp / n, s.get("logLikelihoodPerToken").asDouble(), 1e-3 * Math.abs(logp / n) + 1e-3);
            assertEquals(64, s.get("mean").size());
            for (int i = 0; i < 64; i++) {
                assertTrue(Double.isFinite(s.get("mean").get(i).asDouble()), s.toString());
            }
        }
        // The semantic hash: the two sentences about a budget and taxes are nearer than either is to
        // a walk down a road, and the README says by how much.
        long[] h = new long[3];
        for (int i = 0; i < 3; i++) {
            h[i] = Long.parseUnsignedLong(sentences.get(i).get("hash").asText(), 16);
        }
        int near = Long.bitCount(h[0] ^ h[1]);
        int far = Long.bitCount(h[0] ^ h[2]);
        assertTrue(near + 10 < far, "budget/taxes " + near + " bits apart, budget/road " + far);
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.contains("is " + near + " bits from this one") && readme.contains("a walk down a road, " + far + ")"),
                "README states the distances the command prints: " + near + " and " + far);

        // The output shown in the README is the real output: every quoted line appears in it.
        assertShows("README.md's main output", block("main-output"), stdout);
        Matcher hashes = Pattern.compile("\"hash\" : \"([0-9a-f]+)\"").matcher(String.join("\n", block("main-output")));
        assertTrue(hashes.find(), "the README's output excerpt shows at least one sentence hash");
    }

    /**
     * Every block marked {@code <!-- check -->} on README.md and the docs pages runs as one bash
     * script from the project root and succeeds, printing something; when an {@code <!-- output
     * -->} block follows it (before the next block), what it prints must show that output.
     */
    @Test
    void everyPagesCommandsRunAsWrittenAndPrintWhatThePageShows() throws Exception {
        int blocks = 0;
        int outputs = 0;
        for (java.util.Map.Entry<String, String> page : PAGES.entrySet()) {
            String text = page.getValue();
            Matcher marks = CHECK.matcher(text);
            while (marks.find()) {
                int at = marks.start();
                String script = "set -euo pipefail\n" + String.join("\n", blockAt(text, at)) + "\n";
                Run r = bash(script, "");
                String where = page.getKey() + " block " + (blocks + 1);
                assertEquals(0, r.code(), where + " failed:\n" + script + "\nstderr:\n" + r.err());
                assertFalse(r.out().isEmpty(), where + " printed nothing:\n" + script);
                int end = blockEnd(text, at);
                Matcher output = OUTPUT.matcher(text);
                int shown = output.find(end) ? output.start() : -1;
                if (shown >= 0 && text.indexOf("```", end) > shown) {
                    assertShows(where, blockAt(text, shown), r.out());
                    outputs++;
                }
                blocks++;
            }
        }
        assertTrue(blocks >= 6, "README.md and docs/*.md mark their commands with <!-- check --> (found " + blocks + ")");
        assertTrue(outputs >= 1, "at least one page shows a checked output (found " + outputs + ")");
    }

    /**
     * The CoreNLP server block ({@code <!-- check-server -->}) as a user pastes it, on a free port:
     * it starts the server, waits for it, POSTs one text with curl, prints the JSON and stops the
     * server. The reply is one document whose sentence hash is the one {@code annotate} gives the
     * same text, and the port is closed afterwards.
     */
    @Test
    void theServerBlockAnswersWithTheHashesAnnotateGivesAndStopsTheServer() throws Exception {
        List<String> lines = block("check-server");
        Matcher posted = Pattern.compile("curl .*--data '([^']+)'").matcher(String.join("\n", lines));
        assertTrue(posted.find(), "the block POSTs a text with curl --data: " + lines);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String script = serverBlockOn(port);
        Run server = bash(script, null);
        assertEquals(0, server.code(), "the server block failed:\n" + script + "\nstderr:\n" + server.err());
        JsonNode reply = JSON.readTree(server.out());
        JsonNode sentences = reply.get("sentences");
        assertEquals(1, sentences.size(), "one reply with one sentence (not three requests): " + server.out());
        String hash = sentences.get(0).get("vae").get("hash").asText();
        assertTrue(HEX64.matcher(hash).matches(), hash);

        Run annotate = bash("bin/latent-nlp annotate -", posted.group(1));
        assertEquals(0, annotate.code(), annotate.err());
        assertEquals(JSON.readTree(annotate.out()).get("sentences").get(0).get("hash").asText(), hash, "the server's hash is annotate's");
        assertEquals(reply.get("vae").get("documentHash").asText(), JSON.readTree(annotate.out()).get("documentHash").asText());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listening(port)) {
            assertTrue(System.nanoTime() < deadline, "the server on port " + port + " was not stopped");
            Thread.sleep(200);
        }
    }

    /**
     * A port no server can listen on makes the server exit at once: the block says so and fails
     * (a nonzero status, no request sent), instead of ending its wait loop silently and going on.
     */
    @Test
    void theServerBlockStopsWithAMessageWhenTheServerDoesNotStart() throws Exception {
        long start = System.nanoTime();
        Run failed = bash(serverBlockOn(70000), null);
        assertTrue(failed.code() != 0, "the block succeeded with a server that cannot listen:\n" + failed.out() + failed.err());
        assertTrue(failed.err().contains("the CoreNLP server did not start on port 70000"), failed.err());
        assertEquals("", failed.out(), "nothing posted, nothing printed");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "the block waited for a dead server");
    }

    /**
     * The server block with its first line ({@code PORT=9000}) set to {@code port}; a trap stops the
     * background server even when a line fails.
     */
    private static String serverBlockOn(int port) {
        List<String> lines = block("check-server");
        assertEquals("PORT=9000", lines.get(0), "the block starts by setting the port, which this test replaces");
        return "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\nPORT=" + port + "\n"
                + String.join("\n", lines.subList(1, lines.size())) + "\n";
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** A finished bash script: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {}

    /** Runs a bash script from the project root (stdin from {@code input} when not null), killing what it started if it hangs. */
    static Run bash(String script, String input) throws Exception {
        Path out = Files.createTempFile("readme-run", ".out");
        Path err = Files.createTempFile("readme-run", ".err");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        try {
            if (input != null) { // otherwise stdin stays open: a command that waits for input hangs, and is caught
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "did not finish in 5 minutes:\n" + script);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * As the README says, {@code SentenceVae} with no arguments on a terminal prints its usage
     * instead of waiting for typed lines. {@code script} gives the launcher a pseudo-terminal.
     */
    @Test
    void theSentenceVaeToolOnATerminalWithoutArgumentsPrintsItsUsage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux script for a pseudo-terminal");
        Run r = bash("script -qec 'bin/latent-nlp opennlp SentenceVae' /dev/null", null);
        assertEquals(2, r.code(), "bad usage under latent-nlp:\n" + r.out() + r.err());
        assertTrue(r.out().contains("stdin is a terminal") && r.out().contains("Usage: latent-nlp opennlp SentenceVae ["), r.out());
    }

    @Test
    void continuousIntegrationRunsTheReadmesTestCommand() throws IOException {
        List<String> lines = block("test-command");
        assertEquals(1, lines.size(), "the test command is one line: " + lines);
        String command = command(lines.get(0));
        String ci = Files.readString(root.resolve(".ci/run"));
        assertTrue(ci.contains(command), ".ci/run does not call the README's test command '" + command + "':\n" + ci);
    }
}
