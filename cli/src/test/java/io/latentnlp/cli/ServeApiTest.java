package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.hash.SemanticHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latent-nlp serve}'s JSON API on a real server (port 0) over a real Lucene index of
 * docs/sample.txt and docs/everyday.txt, with the shipped default model: each endpoint's answer
 * against the analyzer, the index and the {@code interpolate} command, and the 400/404/405 errors.
 */
class ServeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static Explorer explorer;
    static ExplorerServer server;

    @BeforeAll
    static void start() throws Exception {
        explorer = Explorer.open(ServeFixture.buildIndex(dir), null, Explorer.DEFAULT_MAP_POINTS); // the index's own model
        server = ExplorerServer.start(explorer, "127.0.0.1", 0, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (explorer != null) {
            explorer.close();
        }
    }

    private record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

    private static Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url()).resolve(path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        boolean isJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return new Reply(r.statusCode(), isJson ? JSON.readTree(r.body()) : null, r);
    }

    private static JsonNode ok(String method, String path, String body) throws Exception {
        Reply r = call(method, path, body);
        assertEquals(200, r.status(), r.raw().body());
        return r.json();
    }

    private static String body(Object... keyValues) throws Exception {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return JSON.writeValueAsString(m);
    }

    @Test
    void infoNamesTheModelTheIndexRecords() throws Exception {
        JsonNode info = ok("GET", "/api/info", null);
        assertEquals("minilm-gaussian64", info.get("model").asText());
        assertEquals(64, info.get("bits").asInt());
        assertTrue(info.get("interpolate").asBoolean());
    }

    @Test
    void analyzeGivesWhatTheAnalyzerGivesPerSentenceWithSurprisalAndBits() throws Exception {
        String text = "The jury said it did not find any evidence. I need a coffee.";
        JsonNode r = ok("POST", "/api/analyze", body("text", text));
        DocumentResult expected;
        try (SentenceAnalyzer analyzer = SentenceAnalyzer.open(null)) {
            expected = analyzer.analyze(text);
        }
        JsonNode sentences = r.get("sentences");
        assertEquals(2, sentences.size());
        for (int i = 0; i < 2; i++) {
            SentenceResult e = expected.sentences().get(i);
            JsonNode s = sentences.get(i);
            assertEquals(e.hash().toHex(), s.get("hash").asText());
            assertEquals(e.hash(), SemanticHash.fromBits(bits(s.get("bits").asText())));
            assertEquals(e.logLikelihood(), s.get("logLikelihood").asDouble(), 1e-9);
            assertEquals(e.tokens().size(), s.get("tokens").size());
            for (int t = 0; t < e.tokens().size(); t++) {
                JsonNode tok = s.get("tokens").get(t);
                assertEquals(e.tokens().get(t), tok.get("token").asText());
                assertEquals(-e.tokenLogProbs()[t], tok.get("surprisal").asDouble(), 1e-9);
                assertTrue(tok.get("surprisal").asDouble() > 0, tok.toString());
            }
        }
        assertEquals(expected.hash().toHex(), r.get("document").get("hash").asText());
    }

    @Test
    void tokensPastTheModelsLengthHaveNullSurprisalNotNaN() throws Exception {
        String text = String.join(" ", java.util.Collections.nCopies(300, "word")) + " .";
        JsonNode s = ok("POST", "/api/analyze", body("text", text)).get("sentences").get(0); // NaN would not even parse
        assertTrue(s.get("truncated").asBoolean(), s.toString());
        JsonNode tokens = s.get("tokens");
        assertEquals(301, tokens.size());
        assertTrue(tokens.get(0).get("surprisal").isNumber(), tokens.get(0).toString());
        assertTrue(tokens.get(300).get("surprisal").isNull() && tokens.get(300).get("logProb").isNull(), tokens.get(300).toString());
    }

    private static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = s.charAt(i) == '1';
        }
        return b;
    }

    @Test
    void anIndexedSentenceFindsItselfAtDistanceZeroAndEveryHitNamesTheBitsThatDiffer() throws Exception {
        JsonNode r = ok("POST", "/api/neighbours", body("text", "I need a coffee.", "k", 4));
        JsonNode hits = r.get("sentences").get(0).get("neighbours");
        assertEquals(4, hits.size());
        assertEquals("everyday-01", hits.get(0).get("id").asText());
        assertEquals(0, hits.get(0).get("distance").asInt());
        assertEquals("I need a coffee .", hits.get(0).get("text").asText());
        SemanticHash query = SemanticHash.fromHex(r.get("sentences").get(0).get("hash").asText(), 64);
        int last = -1;
        for (JsonNode h : hits) {
            SemanticHash code = SemanticHash.fromHex(h.get("hash").asText(), 64);
            List<Integer> differing = new ArrayList<>();
            h.get("differingBits").forEach(b -> differing.add(b.asInt()));
            assertEquals(query.hamming(code), h.get("distance").asInt());
            assertEquals(h.get("distance").asInt(), differing.size());
            for (int b : differing) {
                assertTrue(query.bit(b) != code.bit(b), "bit " + b + " does not differ in " + h);
            }
            assertTrue(h.get("distance").asInt() >= last, "hits out of order: " + hits);
            last = h.get("distance").asInt();
        }
        JsonNode docs = r.get("document").get("neighbours");
        assertEquals("everyday-01", docs.get(0).get("id").asText());
        assertEquals(-1, docs.get(0).get("sentence").asInt());
        // GET with a query string answers the same as POST.
        assertEquals(r, ok("GET", "/api/neighbours?k=4&text=I+need+a+coffee.", null));
    }

    @Test
    void theMapHoldsEveryIndexedCodeAndPlacesAnIndexedTextOnItsOwnPoint() throws Exception {
        int indexed = ServeFixture.texts().size();
        JsonNode r = ok("POST", "/api/map", body("text", "The train is late again."));
        assertEquals(indexed, r.get("indexed").asInt());
        assertEquals(indexed, r.get("points").size());
        assertTrue(r.get("variances").get(0).asDouble() >= r.get("variances").get(1).asDouble());
        JsonNode own = null;
        for (JsonNode p : r.get("points")) {
            if (p.get("id").asText().equals("everyday-02")) {
                own = p;
            }
        }
        assertTrue(own != null, "everyday-02 is not on the map");
        JsonNode q = r.get("query");
        assertEquals(2, q.size()); // the document and its one sentence
        assertEquals("document", q.get(0).get("kind").asText());
        assertEquals("sentence", q.get(1).get("kind").asText());
        assertEquals(own.get("x").asDouble(), q.get(1).get("x").asDouble(), 1e-9);
        assertEquals(own.get("y").asDouble(), q.get(1).get("y").asDouble(), 1e-9);
        JsonNode sentences = ok("GET", "/api/map?level=sentence", null);
        assertEquals(indexed, sentences.get("points").size());
        assertEquals(0, sentences.get("query").size());
    }

    @Test
    void interpolateDecodesWhatTheInterpolateCommandDecodes() throws Exception {
        String from = "The train is late again.";
        String to = "She walked slowly down the road.";
        JsonNode r = ok("POST", "/api/interpolate", body("from", from, "to", to, "steps", 4));
        CliRun cli = CliRun.capture(new byte[0], () -> LatentNlp.execute("interpolate", "--steps", "4", "--max-length", "30", "--json", from, to));
        assertEquals(0, cli.code(), cli.err());
        String[] lines = cli.out().strip().split("\n");
        assertEquals(4, r.get("points").size());
        for (int i = 0; i < 4; i++) {
            JsonNode p = r.get("points").get(i);
            assertEquals(JSON.readTree(lines[i]).get("text").asText(), p.get("text").asText());
            assertEquals(i / 3.0, p.get("t").asDouble(), 1e-12);
            assertEquals(16, p.get("hash").asText().length());
        }
    }

    @Test
    void badRequestsGet400NamingTheField() throws Exception {
        assertError(400, "text", "missing field 'text'", call("POST", "/api/analyze", "{}"));
        assertError(400, "text", "must be a string", call("POST", "/api/analyze", "{\"text\": 3}"));
        assertError(400, "text", "blank", call("POST", "/api/analyze", "{\"text\": \"  \"}"));
        assertError(400, null, "not JSON", call("POST", "/api/analyze", "{text"));
        assertError(400, null, "must be a JSON object", call("POST", "/api/analyze", "[1]"));
        assertError(400, "txt", "unknown field 'txt'", call("POST", "/api/analyze", "{\"txt\": \"a\"}"));
        assertError(400, "k", "illegal k value: 0, must be in 1..100", call("POST", "/api/neighbours", "{\"text\": \"a\", \"k\": 0}"));
        assertError(400, "k", "illegal k value: \"many\"", call("GET", "/api/neighbours?text=a&k=many", null));
        assertError(400, "level", "must be one of document, sentence", call("GET", "/api/map?level=word", null));
        assertError(400, "steps", "illegal steps value: 1, must be in 2..20", call("POST", "/api/interpolate", body("from", "a", "to", "b", "steps", 1)));
        assertError(400, "to", "missing field 'to'", call("POST", "/api/interpolate", body("from", "a")));
    }

    @Test
    void aWrongMethodGets405WithAllowAndAnUnknownPath404() throws Exception {
        Reply get = call("GET", "/api/analyze", null);
        assertError(405, null, "method GET not allowed on /api/analyze: use POST", get);
        assertEquals("POST", get.raw().headers().firstValue("Allow").orElse(""));
        Reply delete = call("DELETE", "/api/neighbours", null);
        assertError(405, null, "use GET or POST", delete);
        assertEquals("GET, POST", delete.raw().headers().firstValue("Allow").orElse(""));
        assertError(405, null, "not allowed on /", call("POST", "/", "{}"));
        assertError(404, null, "no such path: /api/nothing", call("GET", "/api/nothing", null));
        assertError(404, null, "no such path: /favicon.ico", call("GET", "/favicon.ico", null));
    }

    private static void assertError(int status, String field, String message, Reply r) {
        assertEquals(status, r.status(), r.raw().body());
        assertTrue(r.json() != null, "error body is not JSON: " + r.raw().body());
        assertTrue(r.json().get("error").asText().contains(message), r.json().toString());
        assertEquals(field, r.json().get("field").isNull() ? null : r.json().get("field").asText(), r.json().toString());
    }

    @Test
    void thePageAndItsScriptAndStylesAreServed() throws Exception {
        Reply page = call("GET", "/", null);
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.raw().body().contains("<script src=\"app.js\"></script>"), page.raw().body());
        Reply js = call("GET", "/app.js", null);
        assertEquals(200, js.status());
        assertTrue(js.raw().body().contains("/api/neighbours"));
        assertTrue(call("GET", "/app.css", null).raw().headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    }

    @Test
    void serveHelpAndBadOptions() {
        CliRun help = CliRun.capture(new byte[0], () -> LatentNlp.execute("serve", "--help"));
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--port") && help.out().contains("--host") && help.out().contains("docs/serve.md"), help.out());
        CliRun port = CliRun.capture(new byte[0], () -> LatentNlp.execute("serve", "--index", dir.toString(), "--port", "70000"));
        assertEquals(2, port.code(), port.err());
        assertTrue(port.err().contains("Invalid value for option '--port': 70000 (must be in 0..65535, 0 = a free port)"), port.err());
        CliRun missing = CliRun.capture(new byte[0], () -> LatentNlp.execute("serve", "--index", dir.resolve("nothing-here").toString(), "--port", "0"));
        assertFalse(missing.code() == 0, missing.err());
        assertTrue(missing.err().contains("nothing-here"), missing.err());
    }
}
