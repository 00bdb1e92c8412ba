package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.SearchableIndex;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.Pca;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceGenerator;
import io.latentnlp.models.runtime.SentenceVae;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code latent-nlp serve} shows, as plain Java values ready for JSON (maps, lists, numbers,
 * strings; never NaN: a missing number is null). Every number about a text comes from the one
 * run-time path, {@link SentenceAnalyzer#analyze(String)}; neighbours come from the index's exact
 * search ({@link SearchableIndex#knn}); decoded sentences from {@link SentenceGenerator} (greedy).
 * Thread-safe (the analyzer, index and generator are; the map is computed once per level).
 * Owns the model, generator and index it opens: {@link #close()} closes them.
 */
final class Explorer implements AutoCloseable {

    /** Most points of the map: larger indexes are subsampled evenly over their ranked codes. */
    static final int DEFAULT_MAP_POINTS = 5000;

    private final Path indexDir;
    private final SearchableIndex index;
    private final SentenceVae model;
    private final SentenceAnalyzer analyzer;
    private final SentenceGenerator generator;
    private final int mapPoints;
    private final Map<Level, CodeMap> maps = new EnumMap<>(Level.class);

    private Explorer(Path indexDir, SearchableIndex index, SentenceVae model, SentenceGenerator generator, int mapPoints) {
        this.indexDir = indexDir;
        this.index = index;
        this.model = model;
        this.analyzer = SentenceAnalyzer.builder(model).build();
        this.generator = generator;
        this.mapPoints = mapPoints;
    }

    /**
     * Opens an index and its model.
     *
     * @param modelRef a shipped name or bundle path; null = the model the index records, when it is
     *     a shipped one
     * @throws IllegalArgumentException when no model is given and the index's is not shipped
     */
    static Explorer open(Path indexDir, String modelRef, int mapPoints) throws IOException {
        String ref = modelRef;
        if (ref == null) {
            IndexIdentity recorded;
            try (SearchableIndex idx = ShardedHashIndex.openAny(indexDir, null)) {
                recorded = idx.identity();
            }
            if (!ShippedModels.isShipped(recorded.model())) {
                throw new IllegalArgumentException("the index " + indexDir + " was made by model '" + recorded.model()
                        + "', which is not a shipped model: give its bundle with -m PATH");
            }
            ref = recorded.model();
        }
        ModelBundle bundle = ShippedModels.resolve(ref);
        SearchableIndex index = ShardedHashIndex.openAny(indexDir, IndexIdentity.of(bundle));
        SentenceVae vae = null;
        try {
            vae = SentenceVae.open(bundle, SentenceVae.Options.defaults());
            SentenceGenerator gen = bundle.hasFile(ModelBundle.DECODER_STEP) ? SentenceGenerator.open(bundle, SentenceVae.Options.defaults()) : null;
            return new Explorer(indexDir, index, vae, gen, mapPoints);
        } catch (RuntimeException e) {
            if (vae != null) {
                vae.close();
            }
            index.close();
            throw e;
        }
    }

    /** The model, the index's identity and what the page can do. */
    Map<String, Object> info() {
        IndexIdentity id = index.identity();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", indexDir.toString());
        m.put("model", id.model());
        m.put("latent", model.bundle().manifest().latent().type().name().toLowerCase(java.util.Locale.ROOT));
        m.put("hashMethod", id.hashMethod());
        m.put("bits", id.bits());
        m.put("interpolate", generator != null);
        return m;
    }

    /** Each sentence of a raw text: tokens with log p and surprisal (nats), its hash and log p(x|z). */
    Map<String, Object> analyze(String text) {
        DocumentResult d = analyzer.analyze(text);
        List<Object> sentences = new ArrayList<>();
        for (SentenceResult s : d.sentences()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", String.join(" ", s.tokens()));
            List<Object> tokens = new ArrayList<>();
            for (int i = 0; i < s.tokens().size(); i++) {
                double lp = s.tokenLogProbs()[i];
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("token", s.tokens().get(i));
                t.put("logProb", finite(lp));
                t.put("surprisal", finite(-lp));
                tokens.add(t);
            }
            m.put("tokens", tokens);
            putCode(m, s.hash());
            m.put("logLikelihood", finite(s.logLikelihood()));
            m.put("modelTokens", s.modelTokens());
            m.put("unknownTokens", s.unknownTokens());
            m.put("truncated", s.truncated());
            sentences.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sentences", sentences);
        Map<String, Object> doc = new LinkedHashMap<>();
        putCode(doc, d.hash());
        out.put("document", doc);
        return out;
    }

    /** The k nearest texts to the text's document code, and the k nearest sentences to each of its sentences. */
    Map<String, Object> neighbours(String text, int k) {
        DocumentResult d = analyzer.analyze(text);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> doc = new LinkedHashMap<>();
        putCode(doc, d.hash());
        doc.put("neighbours", d.hash() == null ? List.of() : hits(Level.DOCUMENT, d.hash(), d.latent(), k));
        out.put("document", doc);
        List<Object> sentences = new ArrayList<>();
        for (SentenceResult s : d.sentences()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", String.join(" ", s.tokens()));
            putCode(m, s.hash());
            m.put("neighbours", hits(Level.SENTENCE, s.hash(), s.latent(), k));
            sentences.add(m);
        }
        out.put("sentences", sentences);
        return out;
    }

    private List<Object> hits(Level level, SemanticHash query, float[] latent, int k) {
        List<Hit> hits;
        try {
            hits = index.knn(level, query, k, latent);
        } catch (IOException e) {
            throw new UncheckedIOException("searching " + indexDir + ": " + e.getMessage(), e);
        }
        List<Object> out = new ArrayList<>(hits.size());
        int rank = 0;
        for (Hit h : hits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", ++rank);
            m.put("id", h.id());
            m.put("sentence", h.sentence());
            m.put("distance", h.distance());
            m.put("cosine", finite(h.cosine()));
            m.put("text", h.text());
            putCode(m, h.hash());
            m.put("differingBits", differing(query, h.hash()));
            out.add(m);
        }
        return out;
    }

    /**
     * The index's codes projected on their first two principal components (of the bits as 0/1
     * vectors), with the text's document code and sentence codes placed by the same projection.
     */
    Map<String, Object> map(Level level, String text) {
        CodeMap map = map(level);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("level", level.label());
        out.put("indexed", map.indexed);
        out.put("variances", map.pca == null ? List.of() : List.of(map.pca.variances()[0], map.pca.variances()[1]));
        out.put("points", map.points);
        List<Object> query = new ArrayList<>();
        if (text != null && map.pca != null) {
            DocumentResult d = analyzer.analyze(text);
            if (d.hash() != null) {
                query.add(queryPoint(map.pca, "document", -1, String.join(" ", d.sentences().stream().map(s -> String.join(" ", s.tokens())).toList()), d.hash()));
            }
            for (int i = 0; i < d.sentences().size(); i++) {
                SentenceResult s = d.sentences().get(i);
                query.add(queryPoint(map.pca, "sentence", i, String.join(" ", s.tokens()), s.hash()));
            }
        }
        out.put("query", query);
        return out;
    }

    private synchronized CodeMap map(Level level) {
        return maps.computeIfAbsent(level, this::computeMap);
    }

    /** Every code of a level (a radius query of the full length from the zero code), subsampled to the limit, and their PCA. */
    private CodeMap computeMap(Level level) {
        int bits = index.identity().bits();
        List<Hit> all;
        try {
            all = index.radius(level, SemanticHash.fromWords(new long[(bits + 63) / 64], bits), bits, null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the codes of " + indexDir + ": " + e.getMessage(), e);
        }
        List<Hit> kept = all;
        if (all.size() > mapPoints) {
            kept = new ArrayList<>(mapPoints);
            for (int i = 0; i < mapPoints; i++) {
                kept.add(all.get((int) ((long) i * all.size() / mapPoints)));
            }
        }
        if (kept.size() < 2) {
            return new CodeMap(all.size(), null, List.of());
        }
        float[][] x = kept.stream().map(h -> asFloats(h.hash())).toArray(float[][]::new);
        Pca pca = Pca.fit(x, 2);
        List<Object> points = new ArrayList<>(kept.size());
        for (Hit h : kept) {
            points.add(point(pca, h.id(), h.sentence(), h.text(), h.hash()));
        }
        return new CodeMap(all.size(), pca, points);
    }

    private record CodeMap(int indexed, Pca pca, List<Object> points) {}

    /** A point of the query: {@code kind} (document or sentence) in place of an index id. */
    private static Map<String, Object> queryPoint(Pca pca, String kind, int sentence, String text, SemanticHash hash) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        point(pca, null, sentence, text, hash).forEach((key, value) -> {
            if (!key.equals("id")) {
                m.put(key, value);
            }
        });
        return m;
    }

    private static Map<String, Object> point(Pca pca, String id, int sentence, String text, SemanticHash hash) {
        double[] xy = pca.project(asFloats(hash));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", xy[0]);
        m.put("y", xy[1]);
        m.put("id", id);
        m.put("sentence", sentence);
        m.put("text", text);
        m.put("hash", hash.toHex());
        return m;
    }

    /** Sentences decoded (greedy) along the line between the codes of two sentences, with the hash of each decoded sentence. */
    Map<String, Object> interpolate(String from, String to, int steps, int maxLength) {
        if (generator == null) {
            throw new IllegalStateException(model.bundle().source() + " has no " + ModelBundle.DECODER_STEP + ": it cannot decode; re-export it to interpolate");
        }
        float[][] path = GenerateCommands.interpolationPath(analyzer, from, to, steps);
        List<SentenceGenerator.Generated> decoded = generator.greedy(path, maxLength);
        List<SentenceResult> analyzed = analyzer.analyzeTokens(decoded.stream().map(SentenceGenerator.Generated::tokens).toList());
        List<Object> points = new ArrayList<>(steps);
        for (int i = 0; i < decoded.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", i);
            m.put("t", i / (double) (steps - 1));
            m.put("text", decoded.get(i).text());
            m.put("logProb", finite(decoded.get(i).logProb()));
            m.put("finished", decoded.get(i).finished());
            putCode(m, analyzed.get(i).hash());
            points.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("to", to);
        out.put("points", points);
        return out;
    }

    /** {@code hash} (hex) and {@code bits} (a string of 0 and 1, bit 0 first); nulls for a model without a hash spec. */
    private static void putCode(Map<String, Object> m, SemanticHash h) {
        m.put("hash", h == null ? null : h.toHex());
        m.put("bits", h == null ? null : bitString(h));
    }

    static String bitString(SemanticHash h) {
        StringBuilder sb = new StringBuilder(h.bits());
        for (int i = 0; i < h.bits(); i++) {
            sb.append(h.bit(i) ? '1' : '0');
        }
        return sb.toString();
    }

    private static List<Integer> differing(SemanticHash a, SemanticHash b) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.bits(); i++) {
            if (a.bit(i) != b.bit(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static float[] asFloats(SemanticHash h) {
        float[] x = new float[h.bits()];
        for (int i = 0; i < x.length; i++) {
            x[i] = h.bit(i) ? 1 : 0;
        }
        return x;
    }

    /** JSON has no NaN or infinity: such a value is null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public void close() throws IOException {
        try {
            if (generator != null) {
                generator.close();
            }
            model.close();
        } finally {
            index.close();
        }
    }
}
