package io.latentnlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.hash.SemanticHash;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the programs of {@code examples/}, the Maven project outside the reactor that depends on
 * latent-nlp by its coordinates, as maven-invoker-plugin built it in this module (a copy in
 * {@code target/it/examples}, resolved against {@code target/it-repo}, which holds this build's
 * artifacts), and checks what each prints against what the project's own API computes in this JVM
 * for the same input: hashes equal, likelihoods to the digits printed.
 */
class ExamplesTest {

    private static final String MODEL = "minilm-gaussian64";

    private static Path module;
    private static Path examples;
    private static String classpath;
    private static SentenceAnalyzer analyzer;

    @BeforeAll
    static void findBuiltExamples() throws IOException {
        module = Path.of("").toAbsolutePath();
        examples = module.resolve("target/it/examples");
        Path cp = examples.resolve("target/classpath.txt");
        assertTrue(Files.exists(cp), cp + " is missing: maven-invoker-plugin builds examples/ in this module before the tests"
                + " (phase process-test-classes); run `mvn -B verify` from the project root, without -Dinvoker.skip");
        classpath = examples.resolve("target/classes") + File.pathSeparator + Files.readString(cp).strip();
        analyzer = SentenceAnalyzer.open(MODEL);
    }

    @AfterAll
    static void close() {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    @Test
    void theExamplesResolveThisBuildsArtifactsByCoordinatesFromTheIsolatedRepository() throws IOException {
        Path repo = module.resolve("target/it-repo").toRealPath();
        Path root = module.getParent();
        List<String> ours = Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> e.contains("/io/latentnlp/")).toList();
        assertEquals(3, ours.size(), "models, annotator and index on the examples' classpath: " + ours);
        for (String entry : ours) {
            Path jar = Path.of(entry).toRealPath();
            assertTrue(jar.startsWith(repo), jar + " does not come from the invoker's repository " + repo);
            String name = jar.getFileName().toString(); // latent-nlp-MODULE-VERSION.jar
            String moduleDir = name.substring("latent-nlp-".length(), name.indexOf('-', "latent-nlp-".length()));
            Path built = root.resolve(moduleDir).resolve("target").resolve(name);
            if (Files.exists(built)) { // in the reactor build: the very jar this build packaged
                assertEquals(-1, Files.mismatch(built, jar), jar + " differs from " + built + ": the examples ran against another build");
            }
        }
    }

    @Test
    void coreNlpPipelineFromPropertiesPrintsEachSentencesHash() throws Exception {
        List<String> out = run("CoreNlpHashes", "The jury said it did not find any evidence. Taxes will rise again next year.");
        assertEquals(List.of("The jury said it did not find any evidence .", "Taxes will rise again next year ."),
                out.stream().map(l -> field(l, 1)).toList(), "CoreNLP's tokens and sentence split, one line per sentence: " + out);
        for (String line : out) {
            List<String> tokens = List.of(field(line, 1).split(" "));
            SentenceResult expected = analyzer.analyzeTokens(List.of(tokens)).get(0);
            assertEquals(expected.hash().toHex(), field(line, 0), "the annotator's hash of " + tokens);
        }
    }

    @Test
    void openNlpSentenceVaeMePrintsHashAndLogLikelihood() throws Exception {
        String[] sentences = {"The jury said it did not find any evidence .", "She smiled and walked into the kitchen ."};
        List<String> out = run("OpenNlpScores", sentences);
        assertEquals(sentences.length, out.size(), "one line per sentence: " + out);
        for (int i = 0; i < sentences.length; i++) {
            SentenceResult expected = analyzer.analyzeTokens(List.of(List.of(sentences[i].split(" ")))).get(0);
            assertEquals(expected.hash().toHex(), field(out.get(i), 0), out.get(i));
            assertEquals(expected.logLikelihood(), Double.parseDouble(field(out.get(i), 1)), 1e-3, out.get(i));
            assertEquals(sentences[i], field(out.get(i), 2));
        }
    }

    @Test
    void indexSearchFindsTheNearestTextsByHammingDistance() throws Exception {
        List<String> texts = List.of("The committee met on Tuesday to discuss the new budget for the county schools .",
                "Taxes will rise again next year .", "She walked slowly down the dusty road .",
                "The jury said it did not find any evidence .", "He cooked rice for dinner .");
        String query = "The council approved the school budget .";
        List<String> args = new ArrayList<>(List.of(query));
        args.addAll(texts);
        List<String> out = run("IndexSearch", args.toArray(String[]::new));

        SemanticHash q = analyzer.analyzeTokens(List.of(TextEncoder.tokenize(query))).get(0).hash();
        Map<String, Integer> distance = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            DocumentResult d = analyzer.analyzeDocument(List.of(TextEncoder.tokenize(texts.get(i))));
            distance.put("text-" + (i + 1), q.hamming(d.hash()));
        }
        assertEquals(4, out.size(), "the query's hash and three hits: " + out);
        assertEquals("query\t" + q.toHex(), out.get(0));
        int last = -1;
        List<String> found = new ArrayList<>();
        for (int rank = 1; rank <= 3; rank++) {
            String hit = out.get(rank);
            String id = field(hit, 2);
            int d = Integer.parseInt(field(hit, 1));
            assertEquals(Integer.toString(rank), field(hit, 0), hit);
            assertEquals(distance.get(id), d, "Hamming distance of " + id + " to the query: " + hit);
            assertEquals(texts.get(Integer.parseInt(id.substring("text-".length())) - 1), field(hit, 3), hit);
            assertTrue(d >= last, "hits ranked by distance: " + out);
            last = d;
            found.add(id);
        }
        for (Map.Entry<String, Integer> e : distance.entrySet()) {
            assertTrue(found.contains(e.getKey()) || e.getValue() >= last, e + " is nearer than a returned hit: " + out);
        }
    }

    @Test
    void sentenceAnalyzerAnalyzesRawTextInOneCall() throws Exception {
        String text = "Raw text. Two sentences.";
        List<String> out = run("AnalyzeText", text);
        DocumentResult expected = analyzer.analyze(text);
        assertEquals(1 + expected.sentences().size(), out.size(), "the document line and one per sentence: " + out);
        assertEquals("document\t" + expected.hash().toHex(), out.get(0));
        for (int i = 0; i < expected.sentences().size(); i++) {
            SentenceResult s = expected.sentences().get(i);
            String line = out.get(i + 1);
            assertEquals(s.hash().toHex(), field(line, 0), line);
            assertEquals(s.logLikelihood(), Double.parseDouble(field(line, 1)), 1e-3, line);
            assertEquals(String.join(" ", s.tokens()), field(line, 2), line);
            String[] logProbs = field(line, 3).split(" ");
            assertEquals(s.tokenLogProbs().length, logProbs.length, line);
            for (int t = 0; t < logProbs.length; t++) {
                assertEquals(s.tokenLogProbs()[t], Double.parseDouble(logProbs[t]), 0.01, line);
            }
        }
    }

    /** Tab-separated field {@code i} of a printed line. */
    private static String field(String line, int i) {
        String[] f = line.split("\t", -1);
        assertTrue(i < f.length, "no field " + i + " in '" + line + "'");
        return f[i];
    }

    /** Runs {@code io.latentnlp.examples.NAME} as the examples' pom says (java -cp ...), returning its stdout lines. */
    private static List<String> run(String name, String... args) throws Exception {
        Path out = Files.createTempFile("example-" + name, ".out");
        Path err = Files.createTempFile("example-" + name, ".err");
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "io.latentnlp.examples." + name));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(examples.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("DJL_OFFLINE", "true");
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(name + " did not finish in 3 minutes; stderr:\n" + Files.readString(err));
            }
            assertEquals(0, p.exitValue(), name + " failed; stderr:\n" + Files.readString(err));
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertFalse(lines.isEmpty(), name + " printed nothing; stderr:\n" + Files.readString(err));
            return lines;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
