package io.latentnlp.annotator.corenlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.ListeningSockets;
import io.latentnlp.training.TinyModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CoreNLP's own command line and server, in child JVMs, with the plugin on the classpath. */
@Tag("integration")
class CoreNlpProcessesTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private Path propertiesFile(String... extra) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("annotators = tokenize,ssplit,vae\n");
        sb.append("customAnnotatorClass.vae = ").append(VaeAnnotator.class.getName()).append('\n');
        sb.append("vae.model = ").append(TinyModels.bernoulli()).append('\n');
        boolean custom = java.util.Arrays.stream(extra).noneMatch(e -> e.startsWith("outputFormat"));
        if (custom) {
            sb.append("outputFormat = custom\n");
            sb.append("customOutputter = ").append(VaeJsonOutputter.class.getName()).append('\n');
        }
        for (String e : extra) {
            sb.append(e).append('\n');
        }
        Path p = dir.resolve("vae.properties");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void theStanfordCoreNlpCommandLineRunsThePlugin() throws Exception {
        Path props = propertiesFile();
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "The cat sat on the mat. Ships sail the sea.\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        Process p = java("edu.stanford.nlp.pipeline.StanfordCoreNLP", "-props", props.toString(), "-file", in.toString(), "-outputDirectory", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CoreNLP finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log.txt")));
        List<Path> files;
        try (var s = Files.list(out)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), "one output file: " + files);
        JsonNode json = JSON.readTree(files.get(0).toFile());
        assertEquals(2, json.get("sentences").size());
        assertEquals(4, json.get("sentences").get(1).get("vae").get("hash").asText().length());
        assertTrue(json.get("sentences").get(0).get("tokens").get(1).has("vaeLogProb"));
    }

    @Test
    void outputFormatSerializedCarriesTheKeysThroughTheCustomSerializer() throws Exception {
        Path props = propertiesFile("outputFormat = serialized", "serializer = " + VaeProtobufSerializer.class.getName());
        Path in = dir.resolve("doc.txt");
        Files.writeString(in, "The cat sat on the mat. Ships sail the sea.\n");
        Path out = Files.createDirectories(dir.resolve("ser"));
        Process p = java("edu.stanford.nlp.pipeline.StanfordCoreNLP", "-props", props.toString(), "-file", in.toString(), "-outputDirectory", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ser.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CoreNLP finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ser.log")));
        Path file;
        try (var s = Files.list(out)) {
            file = s.findFirst().orElseThrow();
        }
        try (var is = Files.newInputStream(file)) {
            edu.stanford.nlp.pipeline.Annotation doc = new VaeProtobufSerializer().read(is).first;
            var sentences = doc.get(edu.stanford.nlp.ling.CoreAnnotations.SentencesAnnotation.class);
            assertEquals(2, sentences.size());
            assertEquals(16, sentences.get(1).get(VaeAnnotations.HashAnnotation.class).bits());
            assertEquals(16, doc.get(VaeAnnotations.DocumentHashAnnotation.class).bits());
        }
    }

    /** A StanfordCoreNLPServer child JVM on a free loopback port, its output in {@code log}. */
    private record Server(Process process, int port, Path log, HttpClient http) implements AutoCloseable {

        static Server start(Path props, Path log) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = java("edu.stanford.nlp.pipeline.StanfordCoreNLPServer", "-port", Integer.toString(port), "-serverProperties", props.toString(),
                    "-threads", "4", "-timeout", "60000").redirectErrorStream(true).redirectOutput(log.toFile());
            // its shutdown key goes to java.io.tmpdir/corenlp.shutdown: the test's directory, not a /tmp file shared with other runs
            pb.command().add(1, "-Djava.io.tmpdir=" + log.getParent());
            Process server = pb.start();
            Server s = new Server(server, port, log, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
            try {
                waitForServer(s.http, port, server);
            } catch (Exception | AssertionError e) {
                s.close();
                throw e;
            }
            return s;
        }

        /** POSTs text with request properties (a JSON object). */
        HttpResponse<String> post(String properties, String text) throws Exception {
            String q = URLEncoder.encode(properties, StandardCharsets.UTF_8);
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?properties=" + q)).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theServerAnswersConcurrentRequestsLikeSequentialOnes() throws Exception {
        Path props = propertiesFile("vae.nthreads = 2");
        try (Server server = Server.start(props, dir.resolve("server.log"))) {
            HttpClient http = server.http();
            int port = server.port();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                texts.add("The cat sat on the mat " + i + " times. Ships sail the wide sea at dawn" + " today".repeat(i % 4) + ".");
            }
            List<JsonNode> sequential = new ArrayList<>();
            for (String t : texts) {
                sequential.add(post(http, port, t));
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<JsonNode>> futures = new ArrayList<>();
                for (String t : texts) {
                    futures.add(pool.submit(() -> post(http, port, t)));
                }
                for (int i = 0; i < texts.size(); i++) {
                    JsonNode got = futures.get(i).get(120, TimeUnit.SECONDS);
                    assertEquals(sequential.get(i), got, "request " + i);
                    JsonNode vae = got.get("sentences").get(0).get("vae");
                    assertEquals("bernoulli", vae.get("type").asText());
                    assertEquals(16, vae.get("bits").asInt());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * A bounded load test on loopback: 16 clients at once, 64 requests of mixed texts (empty,
     * whitespace, CJK, emoji, long, ASCII), zero errors, every answer equal to the sequential
     * one, and the server's resident set after the run at most {@value #RSS_GROWTH_BOUND_MB} MB
     * above what it was after the sequential warm-up (Linux: read from /proc).
     */
    @Test
    void sixteenConcurrentClientsWithMixedTextsGetTheSequentialAnswersWithinAnRssBound() throws Exception {
        List<String> texts = List.of("", "   \n ", "The cat sat on the mat.", "猫がマットの上に座った。中文句子。", "Ships 🚢 sail at dawn 🌅 today! 👍🏽",
                "Émile naïvely façaded — “quotes” and ‘more’.", "The sea. ".repeat(40), "a", "日本語 and English mixed 😀 together .",
                "Numbers 1999 and 3.14 in a sentence.", "\u00A0\u3000", "One. Two. Three. Four. Five.", "Ünïcödé ẞ İ ı ǅ", "👨‍👩‍👧‍👦",
                "The cat sat on the mat " + "and the dog ".repeat(10) + ".", "End.");
        try (Server server = Server.start(propertiesFile("vae.nthreads = 2"), dir.resolve("server.log"))) {
            List<JsonNode> sequential = new ArrayList<>();
            for (String t : texts) {
                sequential.add(post(server.http(), server.port(), t));
            }
            long rssBefore = rssKb(server.process().pid());
            int clients = 16;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<List<JsonNode>>> futures = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    futures.add(pool.submit(() -> {
                        List<JsonNode> got = new ArrayList<>();
                        for (int r = 0; r < 4; r++) {
                            got.add(post(server.http(), server.port(), texts.get((client + 5 * r) % texts.size())));
                        }
                        return got;
                    }));
                }
                for (int c = 0; c < clients; c++) {
                    List<JsonNode> got = futures.get(c).get(300, TimeUnit.SECONDS);
                    for (int r = 0; r < 4; r++) {
                        int t = (c + 5 * r) % texts.size();
                        assertEquals(sequential.get(t), got.get(r), "client " + c + ", text " + t);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long rssAfter = rssKb(server.process().pid());
            System.err.printf("load test: 16 clients, 64 requests; server RSS %d MB after warm-up, %d MB after the load%n", rssBefore / 1024, rssAfter / 1024);
            if (rssBefore > 0 && rssAfter > 0) {
                assertTrue(rssAfter - rssBefore <= RSS_GROWTH_BOUND_MB * 1024L,
                        "server RSS grew from " + rssBefore / 1024 + " MB to " + rssAfter / 1024 + " MB under load (bound +" + RSS_GROWTH_BOUND_MB + " MB)");
            }
        }
    }

    private static final int RSS_GROWTH_BOUND_MB = 150; // measured: 131 MB -> 137 MB on the tiny bundle

    /** The resident set of a process in kB from /proc, or -1 where there is none (not Linux). */
    private static long rssKb(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
                .orElse(-1);
    }

    /**
     * CoreNLP keeps an annotator per distinct request properties; the model behind them is loaded
     * once per bundle (it used to be once per batch size and thread count: +50 MB a variant, kept).
     */
    @Test
    void requestsWithOtherBatchSizesAndThreadsShareTheLoadedModel() throws Exception {
        Path log = dir.resolve("server.log");
        try (Server server = Server.start(propertiesFile(), log)) {
            JsonNode first = null;
            for (int b = 1; b <= 12; b++) {
                String props = "{\"annotators\":\"tokenize,ssplit,vae\",\"vae.batchSize\":\"" + b + "\",\"vae.nthreads\":\"" + (1 + b % 3) + "\"}";
                HttpResponse<String> r = server.post(props, "The cat sat on the mat. Ships sail the wide sea at dawn today. The sea.");
                assertEquals(200, r.statusCode(), r.body());
                JsonNode sentences = JSON.readTree(r.body()).get("sentences");
                first = first == null ? sentences : first;
                for (int i = 0; i < 3; i++) {
                    assertEquals(first.get(i).get("vae").get("hash"), sentences.get(i).get("vae").get("hash"), "batch size " + b + ", sentence " + i);
                }
            }
        }
        List<String> loads = Files.readAllLines(log).stream().filter(l -> l.contains(": loaded ") && l.contains("ONNX Runtime threads")).toList();
        assertEquals(1, loads.size(), "one model loaded for 12 request variants: " + loads);
    }

    /**
     * Where the server can be reached from. CoreNLP 4.5.10 cannot bind to loopback: {@code
     * StanfordCoreNLPServer.run} creates its {@code HttpServer} on {@code new
     * InetSocketAddress(port)}, the wildcard address, and has no host or bind option (its options
     * are port, status_port, ssl, username/password, blockList, ...). So it listens on every
     * interface, as README.md's CoreNLP section says; this asserts that, from the kernel's list of
     * the server process's sockets, and that its shutdown key went to its own java.io.tmpdir. If a
     * CoreNLP release binds to loopback, this fails and README's advice (a firewall, or
     * -username/-password) can be replaced by the option.
     */
    @Test
    void theServerListensOnEveryInterfaceSinceCoreNlpHasNoBindAddress() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp to see where the server listens");
        try (Server server = Server.start(propertiesFile(), dir.resolve("server.log"))) {
            List<ListeningSockets.Listener> listeners = ListeningSockets.of(server.process().pid());
            List<ListeningSockets.Listener> onPort = listeners.stream().filter(l -> l.port() == server.port()).toList();
            assertEquals(1, onPort.size(), "one socket on port " + server.port() + ": " + listeners);
            assertTrue(onPort.get(0).address().isAnyLocalAddress(), "the wildcard address (every interface): " + onPort);
            assertTrue(Files.isRegularFile(dir.resolve("corenlp.shutdown")), "the shutdown key is in the server's own java.io.tmpdir");
        }
    }

    /**
     * CoreNLP replaces an annotator constructor's exception with its own message, so the annotator
     * reports bad properties from requires() instead, and the server's answer carries the reason.
     * The status is 500, not 400: CoreNLP 4.5.10's {@code CoreNLPHandler.handle} answers every
     * exception of building or running the request's pipeline with {@code respondError} (500,
     * body {@code exception class + ": " + message}); its 400 ({@code respondBadInput}, private)
     * is only for a text over {@code -maxCharLength}, and nothing a plugin throws can choose it.
     */
    @Test
    void badRequestPropertiesReachTheClientWithTheirReason() throws Exception {
        try (Server server = Server.start(propertiesFile(), dir.resolve("server.log"))) {
            String absent = dir.resolve("absent.vae").toString();
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("\"vae.modle\":\"x\"", "java.lang.IllegalArgumentException: unknown property vae.modle (known: vae.model, ");
            cases.put("\"vae.batchSize\":\"0\"", "java.lang.IllegalArgumentException: illegal value '0' for vae.batchSize: must be at least 1");
            cases.put("\"vae.nthreads\":\"two\"", "java.lang.IllegalArgumentException: illegal value 'two' for vae.nthreads: not an integer");
            cases.put("\"vae.model\":\"" + absent + "\"", "java.lang.IllegalArgumentException: vae.model = " + absent + ": model not found");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                HttpResponse<String> r = server.post("{\"annotators\":\"tokenize,ssplit,vae\"," + c.getKey() + "}", "The cat sat.");
                assertEquals(500, r.statusCode(), r.body());
                assertTrue(r.body().startsWith(c.getValue()), c.getKey() + " answered: " + r.body());
            }
            HttpResponse<String> ok = server.post("{\"annotators\":\"tokenize,ssplit,vae\"}", "The cat sat.");
            assertEquals(200, ok.statusCode(), "the server still answers good requests: " + ok.body());
        }
    }

    private static void waitForServer(HttpClient http, int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "the server process died");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server did not become ready within 120 s");
    }

    private static JsonNode post(HttpClient http, int port, String text) throws Exception {
        String properties = URLEncoder.encode("{\"annotators\":\"tokenize,ssplit,vae\"}", StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?properties=" + properties))
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
