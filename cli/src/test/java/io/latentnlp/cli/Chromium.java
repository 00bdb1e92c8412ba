package io.latentnlp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol (tests only): one page, commands with
 * their results, and every console error, uncaught exception and browser log error the page
 * produced. The browser is Debian's {@code chromium} (or {@code $LATENTNLP_CHROMIUM});
 * {@link #find()} is empty when there is none.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    /** The browser to run: {@code $LATENTNLP_CHROMIUM}, else the first of chromium, chromium-browser, google-chrome on PATH. */
    static Optional<Path> find() {
        String env = System.getenv("LATENTNLP_CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome").map(n -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
    }

    private Chromium(Process process, Path profile, WebSocket.Builder ws, URI page) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = ws.buildAsync(page, new Listener()).get(20, TimeUnit.SECONDS);
    }

    /** Starts the browser headless on a blank page and connects to that page. */
    static Chromium start(Path executable, Path profile, int width, int height) throws Exception {
        Process p = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            LinkedBlockingQueue<String> endpoint = new LinkedBlockingQueue<>();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        lines.add(line);
                        Matcher m = DEVTOOLS.matcher(line);
                        if (m.find()) {
                            endpoint.add(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    lines.add("(reading chromium's stderr failed: " + e + ")");
                }
            }, "chromium-stderr");
            reader.setDaemon(true);
            reader.start();
            String browser = endpoint.poll(30, TimeUnit.SECONDS);
            if (browser == null) {
                throw new IllegalStateException(executable + " printed no DevTools address within 30 s; its stderr:\n" + String.join("\n", lines));
            }
            URI http = URI.create(browser.replaceFirst("^ws://", "http://")).resolve("/json/list");
            HttpClient client = HttpClient.newHttpClient();
            String pageWs = null;
            for (int attempt = 0; attempt < 50 && pageWs == null; attempt++) {
                JsonNode targets = JSON.readTree(client.send(HttpRequest.newBuilder(http).build(), HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if (t.path("type").asText().equals("page")) {
                        pageWs = t.get("webSocketDebuggerUrl").asText();
                        break;
                    }
                }
                if (pageWs == null) {
                    Thread.sleep(100);
                }
            }
            if (pageWs == null) {
                throw new IllegalStateException("chromium at " + browser + " lists no page target");
            }
            Chromium c = new Chromium(p, profile, client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)), URI.create(pageWs));
            c.stderr.addAll(lines);
            c.send("Runtime.enable", null);
            c.send("Log.enable", null);
            c.send("Page.enable", null);
            return c;
        } catch (Exception | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Runs a DevTools command and returns its result (an error reply throws, with the command's name). */
    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException("DevTools " + method + " failed: " + r.get("error"));
        }
        return r.get("result");
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Evaluates a JavaScript expression in the page (promises awaited) and returns its value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", params().put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until a JavaScript expression is true, or fails naming it and what the page's status line says. */
    void waitFor(String expression, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!eval("Boolean(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the page did not reach '" + expression + "' within " + timeout.toSeconds() + " s; status line: '"
                        + eval("(document.getElementById('status') || {}).textContent") .asText() + "'; errors: " + errors());
            }
            Thread.sleep(100);
        }
    }

    /** A PNG of the page region from the top of element {@code selector} down to the bottom of {@code lastSelector}. */
    byte[] screenshot(String selector, String lastSelector) throws Exception {
        JsonNode box = eval("(() => { const a = document.querySelector('" + selector + "').getBoundingClientRect();"
                + " const b = document.querySelector('" + lastSelector + "').getBoundingClientRect();"
                + " return {x: 0, y: a.top + window.scrollY - 8, w: document.documentElement.clientWidth, h: b.bottom - a.top + 16}; })()");
        ObjectNode clip = params().put("x", box.get("x").asDouble()).put("y", box.get("y").asDouble()).put("width", box.get("w").asDouble())
                .put("height", box.get("h").asDouble()).put("scale", 1);
        ObjectNode p = params().put("format", "png").put("captureBeyondViewport", true);
        p.set("clip", clip);
        return java.util.Base64.getDecoder().decode(send("Page.captureScreenshot", p).get("data").asText());
    }

    /** Console errors and assertions, uncaught exceptions and error log entries (failed loads) seen so far. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    private void event(JsonNode msg) {
        String method = msg.path("method").asText();
        JsonNode p = msg.path("params");
        switch (method) {
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> {
                JsonNode d = p.path("exceptionDetails");
                errors.add("uncaught: " + d.path("exception").path("description").asText(d.path("text").asText()) + " at " + d.path("url").asText()
                        + ":" + (d.path("lineNumber").asInt() + 1));
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                }
            }
            default -> {
                // other events are not checked
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(text.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        event(msg);
                    }
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            stderr.add("(closing the DevTools socket failed: " + e + ")");
        } finally {
            // Chromium's helpers (renderer, network service, zygote) outlive the browser process for a
            // moment and still write into the profile: stop them all and wait before deleting it.
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : helpers) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stuck) {
                    stderr.add("(Chromium helper " + h.pid() + " did not exit in 10 s)");
                }
            }
            deleteTree(profile);
        }
    }

    /** Deletes a directory tree; a file that vanishes while it is walked (Chromium's last writes) is not an error. */
    private static void deleteTree(Path root) throws java.io.IOException {
        for (int attempt = 0; attempt < 3 && Files.exists(root); attempt++) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.UncheckedIOException vanished) {
                // walked past a file deleted under it: walk again
            }
        }
    }
}
