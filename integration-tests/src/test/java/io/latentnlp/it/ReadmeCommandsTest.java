package io.latentnlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the commands README.md gives, exactly as written, from the project root, against the
 * launcher this build packaged (cli/target), so the README cannot drift from the code.
 *
 * <p>README.md marks them with HTML comments before fenced blocks: {@code <!-- main-command -->}
 * (the first command of the set-up section: annotate the sample text with the shipped model),
 * {@code <!-- main-output -->} (an excerpt of that command's output, which must appear in the
 * real output) and {@code <!-- test-command -->} (the test command, which .ci/run must call).
 */
class ReadmeCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{16}");

    private static Path root;
    private static String readme;

    @BeforeAll
    static void findProject() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no README.md above " + Path.of("").toAbsolutePath());
        root = dir;
        readme = Files.readString(root.resolve("README.md"));
        assertTrue(Files.exists(root.resolve("cli/target/latent-nlp-cli.jar")),
                "the launcher jar is packaged before this module's tests (reactor order); run mvn verify from the project root");
    }

    /** The lines of the fenced block after the first marker comment, blank lines dropped. */
    static List<String> block(String marker) {
        int at = readme.indexOf("<!-- " + marker + " -->");
        assertTrue(at >= 0, "README.md has no <!-- " + marker + " --> marker");
        return blockAt(at);
    }

    /** The non-blank lines of the first fenced block after position {@code at}. */
    static List<String> blockAt(int at) {
        int open = readme.indexOf("```", at);
        int start = readme.indexOf('\n', open) + 1;
        int close = readme.indexOf("```", start);
        List<String> lines = new ArrayList<>();
        for (String line : readme.substring(start, close).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
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
        assertEquals("brown-bernoulli64", doc.get("model").asText(), "the shipped default model");
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
            assertEquals(64, s.get("probabilities").size());
            int ones = 0;
            for (int i = 0; i < 64; i++) {
                double q = s.get("probabilities").get(i).asDouble();
                assertTrue(q >= 0 && q <= 1, "probability " + q);
                ones += q >= 0.5 ? 1 : 0;
            }
            assertEquals(ones, Long.bitCount(Long.parseUnsignedLong(s.get("hash").asText(), 16)), "the hash is the posterior mode of the probabilities");
        }

        // The output shown in the README is the real output: every quoted line appears in it.
        for (String line : block("main-output")) {
            String shown = line.strip();
            if (!shown.equals("...")) {
                assertTrue(stdout.contains(shown), "README shows a line the command does not print: " + shown);
            }
        }
        Matcher hashes = Pattern.compile("\"hash\" : \"([0-9a-f]+)\"").matcher(String.join("\n", block("main-output")));
        assertTrue(hashes.find(), "the README's output excerpt shows at least one sentence hash");
    }

    /**
     * Every block marked {@code <!-- check -->} (the surfaces' example commands) runs as one bash
     * script from the project root and succeeds, printing something.
     */
    @Test
    void theSurfacesCommandsRunAsWritten() throws Exception {
        int blocks = 0;
        for (int at = readme.indexOf("<!-- check -->"); at >= 0; at = readme.indexOf("<!-- check -->", at + 1)) {
            String script = "set -euo pipefail\n" + String.join("\n", blockAt(at)) + "\n";
            Path out = Files.createTempFile("readme-check", ".out");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile())
                    .redirectOutput(out.toFile()).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.PIPE);
            pb.environment().put("DJL_OFFLINE", "true");
            Process p = pb.start();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "README block did not finish in 5 minutes:\n" + script);
            assertEquals(0, p.exitValue(), "README block failed:\n" + script + "\nstderr:\n" + stderr);
            assertTrue(Files.size(out) > 0, "README block printed nothing:\n" + script);
            blocks++;
        }
        assertTrue(blocks >= 3, "README.md marks its surfaces' commands with <!-- check --> (found " + blocks + ")");
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
