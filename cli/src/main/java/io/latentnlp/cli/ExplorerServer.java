package io.latentnlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of {@code latent-nlp serve}: the JDK's {@link HttpServer} serving the page (static
 * files from the classpath, {@code io/latentnlp/cli/serve/}) and a JSON API over an {@link
 * Explorer} (documented in docs/serve.md). A bad request gets 400 and {@code {"error": ...,
 * "field": ...}}, a wrong method 405 (with {@code Allow}), an unknown path 404, a failure inside
 * 500; every error body is JSON. Requests run on a small pool of daemon threads. {@link #close()}
 * stops the server (not the explorer, which stays the caller's).
 */
final class ExplorerServer implements AutoCloseable {

    /** Largest request body read, in bytes. */
    static final int MAX_BODY = 1 << 16;
    /** Longest text accepted, in characters. */
    static final int MAX_TEXT = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "/io/latentnlp/cli/serve/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Explorer explorer;

    private ExplorerServer(HttpServer server, ExecutorService pool, Explorer explorer) {
        this.server = server;
        this.pool = pool;
        this.explorer = explorer;
    }

    /**
     * Binds and starts a server.
     *
     * @param port 0 = a free port ({@link #port()} tells which)
     * @param threads request threads, at least 1
     */
    static ExplorerServer start(Explorer explorer, String host, int port, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExplorerServer s = new ExplorerServer(server, pool, explorer);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    /** The port bound. */
    int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    String url() {
        String host = server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    /** A request that cannot be served: its status, message and the field at fault (or null). */
    static final class HttpError extends RuntimeException {
        final int status;
        final String field;

        HttpError(int status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            try {
                if (STATIC.containsKey(path)) {
                    allow(ex, "GET");
                    serveStatic(ex, STATIC.get(path));
                    return;
                }
                Object body = switch (path) {
                    case "/api/info" -> {
                        allow(ex, "GET");
                        yield explorer.info();
                    }
                    case "/api/analyze" -> {
                        allow(ex, "POST");
                        Params p = params(ex, List.of("text"));
                        yield explorer.analyze(p.text("text"));
                    }
                    case "/api/neighbours", "/api/neighbors" -> {
                        allow(ex, "GET", "POST");
                        Params p = params(ex, List.of("text", "k"));
                        yield explorer.neighbours(p.text("text"), p.integer("k", 5, 1, 100));
                    }
                    case "/api/map" -> {
                        allow(ex, "GET", "POST");
                        Params p = params(ex, List.of("text", "level"));
                        String level = p.choice("level", "document", "document", "sentence");
                        yield explorer.map(level.equals("document") ? Level.DOCUMENT : Level.SENTENCE,
                                p.has("text") ? p.text("text") : null);
                    }
                    case "/api/interpolate" -> {
                        allow(ex, "POST");
                        Params p = params(ex, List.of("from", "to", "steps", "maxLength"));
                        yield explorer.interpolate(p.text("from"), p.text("to"), p.integer("steps", 7, 2, 20), p.integer("maxLength", 30, 1, 100));
                    }
                    default -> throw new HttpError(404, null, "no such path: " + path + " (the API is /api/info, /api/analyze, /api/neighbours, /api/map,"
                            + " /api/interpolate; the page is /)");
                };
                send(ex, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
            } catch (HttpError e) {
                sendError(ex, e.status, e.field, e.getMessage());
            } catch (IllegalArgumentException e) {
                // what the model or the analyzer refuses about an input (e.g. text with no tokens)
                sendError(ex, 400, null, e.getMessage());
            } catch (RuntimeException e) {
                System.err.println("serve: " + ex.getRequestMethod() + " " + path + " failed: " + e);
                sendError(ex, 500, null, e.toString());
            }
        }
    }

    private static void allow(HttpExchange ex, String... methods) {
        if (!List.of(methods).contains(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", String.join(", ", methods));
            throw new HttpError(405, null, "method " + ex.getRequestMethod() + " not allowed on " + ex.getRequestURI().getPath()
                    + ": use " + String.join(" or ", methods));
        }
    }

    private static void serveStatic(HttpExchange ex, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = ExplorerServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the page's resource " + RESOURCES + name + " is missing from the classpath");
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        send(ex, 200, type + "; charset=utf-8", bytes);
    }

    private static void sendError(HttpExchange ex, int status, String field, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("field", field);
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(m));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A request's parameters: the query string of a GET, the JSON object of a POST. */
    private static Params params(HttpExchange ex, List<String> known) throws IOException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (ex.getRequestMethod().equals("GET")) {
            String q = ex.getRequestURI().getRawQuery();
            if (q != null && !q.isEmpty()) {
                for (String pair : q.split("&")) {
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    values.put(key, JSON.getNodeFactory().textNode(value));
                }
            }
        } else {
            byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new HttpError(413, null, "request body over " + MAX_BODY + " bytes");
            }
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new HttpError(400, null, "the request body is not JSON: " + e.getOriginalMessage() + " (send a JSON object, e.g. {\"text\": \"...\"})");
            }
            if (root == null || !root.isObject()) {
                throw new HttpError(400, null, "the request body must be a JSON object with the fields " + known + ", e.g. {\"text\": \"...\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), e.getValue());
            }
        }
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new HttpError(400, key, "unknown field '" + key + "' on " + ex.getRequestURI().getPath() + ": the fields are " + known);
            }
        }
        return new Params(values, ex.getRequestMethod().equals("GET"));
    }

    private record Params(Map<String, JsonNode> values, boolean fromQuery) {

        boolean has(String field) {
            return values.containsKey(field) && !values.get(field).isNull();
        }

        String text(String field) {
            JsonNode v = values.get(field);
            if (v == null || v.isNull()) {
                throw new HttpError(400, field, "missing field '" + field + "': give the text to read");
            }
            if (!v.isTextual()) {
                throw new HttpError(400, field, "field '" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
            }
            String s = v.asText();
            if (s.isBlank()) {
                throw new HttpError(400, field, "field '" + field + "' is blank: give some text");
            }
            if (s.length() > MAX_TEXT) {
                throw new HttpError(400, field, "field '" + field + "' has " + s.length() + " characters, more than " + MAX_TEXT);
            }
            return s;
        }

        int integer(String field, int defaultValue, int min, int max) {
            JsonNode v = values.get(field);
            if (v == null || v.isNull()) {
                return defaultValue;
            }
            int n;
            if (v.isInt()) {
                n = v.asInt();
            } else if (fromQuery && v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
                n = Integer.parseInt(v.asText());
            } else {
                throw new HttpError(400, field, "illegal " + field + " value: " + v + ", must be an integer in " + min + ".." + max);
            }
            if (n < min || n > max) {
                throw new HttpError(400, field, "illegal " + field + " value: " + n + ", must be in " + min + ".." + max);
            }
            return n;
        }

        String choice(String field, String defaultValue, String... allowed) {
            JsonNode v = values.get(field);
            if (v == null || v.isNull()) {
                return defaultValue;
            }
            if (v.isTextual() && List.of(allowed).contains(v.asText())) {
                return v.asText();
            }
            throw new HttpError(400, field, "illegal " + field + " value: " + v + ", must be one of " + String.join(", ", allowed));
        }
    }

    /** Stops accepting requests, lets running ones finish for up to a second, and ends the threads. Idempotent. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }
}
