package io.latentnlp.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentence VAE bundle running on ONNX Runtime: batched encoding to q(z|x), per-token decoder
 * log-probabilities log p(x_t | x_&lt;t, z), and (through {@link LikelihoodEstimator}) importance-weighted
 * estimates of log p(x).
 *
 * <p>Thread-safe: calls run concurrently (ONNX Runtime sessions may be run so). Holds native
 * memory: close it (try-with-resources). {@link #close()} is idempotent, waits for the calls in
 * flight ({@link CloseGuard}), and a call after it throws {@link IllegalStateException} naming the
 * bundle. Inputs of any length are accepted; the caller is responsible for truncation ({@link
 * SentenceEncoder} does it).
 */
public final class SentenceVae implements AutoCloseable, VaeScorer {

    /**
     * Runtime options.
     *
     * @param intraOpThreads ONNX Runtime threads per call (0 = ONNX Runtime's default, all cores)
     * @param batchSize the most sentences sent to ONNX Runtime in one call
     */
    public record Options(int intraOpThreads, int batchSize) {
        public Options {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("illegal intraOpThreads " + intraOpThreads + ": must be >= 0 (0 = ONNX Runtime default)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be >= 1");
            }
        }

        public static Options defaults() {
            return new Options(0, 64);
        }
    }

    private final ModelBundle bundle;
    private final Options options;
    private final OrtEnvironment env;
    private final Manifest.Latent latent;
    private final String family;
    private OrtSession encoder;
    private OrtSession decoder;
    private PretrainedBackbone backbone;
    private final CloseGuard guard;

    private SentenceVae(ModelBundle bundle, Options options) {
        this.bundle = bundle;
        this.options = options;
        this.env = OrtEnvironment.getEnvironment();
        this.latent = bundle.manifest().latent();
        this.family = bundle.manifest().encoderFamily();
        this.guard = new CloseGuard(bundle.source() + ": this SentenceVae is closed");
        try {
            encoder = openSession(ModelBundle.ENCODER, OnnxContract.encoderInputs(family), Set.copyOf(OnnxContract.encoderOutputs(latent.type())));
            if (Manifest.Encoder.PRETRAINED.equals(family)) {
                PretrainedBackbone.Spec spec = bundle.manifest().encoder().backbone();
                if (spec == null) {
                    throw new BundleException(bundle.source() + "!" + ModelBundle.MANIFEST + ": the pretrained encoder family needs a backbone spec");
                }
                backbone = PretrainedBackbone.open(spec, options.intraOpThreads());
            }
            decoder = openSession(ModelBundle.DECODER, Set.of(OnnxContract.TOKENS, OnnxContract.LENGTHS, OnnxContract.Z), Set.of(OnnxContract.LOGPROBS));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Loads a bundle file or directory and opens it. */
    public static SentenceVae load(Path bundle, Options options) {
        return open(ModelBundle.load(bundle), options);
    }

    /** Opens an already loaded bundle. */
    public static SentenceVae open(ModelBundle bundle, Options options) {
        return new SentenceVae(bundle, options);
    }

    private OrtSession openSession(String file, Set<String> inputs, Set<String> outputs) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(bundle.file(file), so);
            try {
                checkNames(file, "inputs", session.getInputInfo(), inputs);
                checkNames(file, "outputs", session.getOutputInfo(), outputs);
                checkLatentDim(file, session);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
            return session;
        } catch (OrtException e) {
            throw new BundleException(bundle.source() + "!" + file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private void checkNames(String file, String what, Map<String, NodeInfo> actual, Set<String> expected) {
        if (!actual.keySet().equals(expected)) {
            throw new BundleException(bundle.source() + "!" + file + ": graph " + what + " are " + actual.keySet() + " but the ONNX contract needs " + expected);
        }
    }

    private void checkLatentDim(String file, OrtSession session) throws OrtException {
        Map<String, NodeInfo> all = new HashMap<>(session.getInputInfo());
        all.putAll(session.getOutputInfo());
        Map<String, Integer> widths = new java.util.LinkedHashMap<>();
        widths.put(OnnxContract.MEAN, latent.dim());
        widths.put(OnnxContract.LOGVAR, latent.dim());
        widths.put(OnnxContract.LOGITS, latent.codeDim());
        widths.put(OnnxContract.Z, latent.codeDim());
        for (Map.Entry<String, Integer> e : widths.entrySet()) {
            NodeInfo info = all.get(e.getKey());
            if (info != null && info.getInfo() instanceof TensorInfo t) {
                long[] shape = t.getShape();
                if (shape.length != 2 || (shape[1] > 0 && shape[1] != e.getValue())) {
                    throw new BundleException(bundle.source() + "!" + file + ": '" + e.getKey() + "' has shape " + Arrays.toString(shape) + " but the manifest's "
                            + latent.type().label() + " latent of " + latent.dim() + (latent.categories() > 0 ? " x " + latent.categories() : "") + " needs width "
                            + e.getValue());
                }
            }
        }
    }

    /**
     * The semantic hash of a posterior under the bundle's hash spec.
     *
     * @throws IllegalStateException when the bundle has no hash spec
     */
    public SemanticHash hash(Posterior q) {
        Manifest.Hash spec = bundle.manifest().hash();
        if (spec == null) {
            throw new IllegalStateException(bundle.source() + " has no hash spec in its manifest (exported before hashing existed); re-export it");
        }
        if (q.type() != latent.type() || q.dim() != latent.dim()) {
            throw new IllegalArgumentException("a " + q.type().label() + " posterior of " + q.dim() + " cannot be hashed by " + bundle.source() + " ("
                    + latent.type().label() + " of " + latent.dim() + ")");
        }
        return LatentHasher.hash(spec, q);
    }

    /** The bundle this model runs. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** The options it was opened with. */
    public Options options() {
        return options;
    }

    @Override
    public int latentDim() {
        return latent.dim();
    }

    @Override
    public int codeDim() {
        return latent.codeDim();
    }

    /**
     * Encodes sentences to their posteriors, in batches of {@link Options#batchSize()}.
     *
     * @param sentences token ids, each ending in {@code </s>} (see {@link OnnxContract})
     */
    @Override
    public Posterior[] encode(List<int[]> sentences) {
        return encode(sentences, options.batchSize());
    }

    /** {@link #encode(List)} in batches of {@code batchSize} sentences instead of the options'. */
    public Posterior[] encode(List<int[]> sentences, int batchSize) {
        checkBatchSize(batchSize);
        OnnxContract.checkTokens(sentences, bundle.vocabulary().size());
        if (backbone != null) {
            throw new IllegalStateException(bundle.source() + " has a pretrained encoder, which reads the sentence's text: pass EncodedSentences "
                    + "(encodeSentences) instead of ids");
        }
        return guard.call(() -> encodeOpen(sentences, batchSize));
    }

    private Posterior[] encodeOpen(List<int[]> sentences, int batchSize) {
        Posterior[] out = new Posterior[sentences.size()];
        int[] order = lengthOrder(sentences);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> batch = gather(sentences, order, from, to);
            float[][][] r = run(encoder, batch, null, OnnxContract.encoderOutputs(latent.type()).toArray(String[]::new));
            for (int i = 0; i < batch.size(); i++) {
                out[order[from + i]] = posterior(r, i);
            }
        }
        return out;
    }

    /**
     * Encodes sentences to their posteriors, whatever the bundle's encoder family: the LSTM
     * family reads the ids, the pretrained family the normalized text (its backbone tokenizes it
     * into word pieces itself).
     *
     * @throws IllegalArgumentException when the pretrained family meets a sentence without text
     */
    @Override
    public Posterior[] encodeSentences(List<EncodedSentence> sentences) {
        return encodeSentences(sentences, options.batchSize());
    }

    /** {@link #encodeSentences(List)} in batches of {@code batchSize} sentences instead of the options'. */
    public Posterior[] encodeSentences(List<EncodedSentence> sentences, int batchSize) {
        if (backbone == null) {
            return encode(EncodedSentence.ids(sentences), batchSize);
        }
        checkBatchSize(batchSize);
        OnnxContract.checkTokens(EncodedSentence.ids(sentences), bundle.vocabulary().size());
        return guard.call(() -> encodeTexts(sentences, batchSize));
    }

    private Posterior[] encodeTexts(List<EncodedSentence> sentences, int batchSize) {
        Posterior[] out = new Posterior[sentences.size()];
        for (int from = 0; from < sentences.size(); from += batchSize) {
            int to = Math.min(sentences.size(), from + batchSize);
            List<String> texts = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                String text = sentences.get(i).text();
                if (text == null) {
                    throw new IllegalArgumentException("sentence " + i + " has ids but no text; " + bundle.source()
                            + " has a pretrained encoder that reads text (build sentences with SentenceEncoder)");
                }
                texts.add(text);
            }
            float[][][] r = runFeatures(backbone.embed(texts));
            for (int i = from; i < to; i++) {
                out[i] = posterior(r, i - from);
            }
        }
        return out;
    }

    /** The backbone of a pretrained-family bundle (empty for the LSTM family). */
    public java.util.Optional<PretrainedBackbone> backbone() {
        return java.util.Optional.ofNullable(backbone);
    }

    /**
     * The pretrained family's head on backbone embeddings computed elsewhere (e.g. cached for a
     * corpus that several bundles of one backbone evaluate): {@code features[i]} must be {@link
     * #backbone()}'s embedding of sentence i's text.
     *
     * @throws IllegalStateException for an LSTM-family bundle
     */
    public Posterior[] encodeFeatures(float[][] features) {
        if (backbone == null) {
            throw new IllegalStateException(bundle.source() + " has an LSTM encoder: it reads ids, not backbone features");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != backbone.dim()) {
                throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " entries, the backbone " + backbone.dim());
            }
        }
        return guard.call(() -> {
            Posterior[] out = new Posterior[features.length];
            for (int from = 0; from < features.length; from += options.batchSize()) {
                int to = Math.min(features.length, from + options.batchSize());
                float[][][] r = runFeatures(java.util.Arrays.copyOfRange(features, from, to));
                for (int i = from; i < to; i++) {
                    out[i] = posterior(r, i - from);
                }
            }
            return out;
        });
    }

    /** Row i of the encoder's outputs ({@code r[k]}: output k of {@link OnnxContract#encoderOutputs}) as a posterior. */
    private Posterior posterior(float[][][] r, int i) {
        List<String> names = OnnxContract.encoderOutputs(latent.type());
        return Posterior.fromParameters(latent.type(), latent.categories(), name -> r[names.indexOf(name)][i]);
    }

    /** The pretrained family's head: features [B,F] to the posterior's parameters. */
    private float[][][] runFeatures(float[][] features) {
        int b = features.length;
        int f = backbone.dim();
        float[] flat = new float[b * f];
        for (int i = 0; i < b; i++) {
            System.arraycopy(features[i], 0, flat, i * f, f);
        }
        String[] outputs = OnnxContract.encoderOutputs(latent.type()).toArray(String[]::new);
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {b, f});
                OrtSession.Result result = encoder.run(Map.of(OnnxContract.FEATURES, x))) {
            float[][][] out = new float[outputs.length][][];
            for (int k = 0; k < outputs.length; k++) {
                out[k] = (float[][]) result.get(outputs[k]).orElseThrow().getValue();
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(bundle.source() + ": ONNX Runtime failed on the encoder head for " + b + " sentences: " + e.getMessage(), e);
        }
    }

    /**
     * Indices of the sentences sorted by length: batches of similar lengths waste little work on
     * padding (the decoder's [B, T, V] log-softmax dominates scoring). Results go back to input order.
     */
    private static int[] lengthOrder(List<int[]> sentences) {
        return java.util.stream.IntStream.range(0, sentences.size()).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> sentences.get(i).length)).mapToInt(Integer::intValue).toArray();
    }

    private static List<int[]> gather(List<int[]> sentences, int[] order, int from, int to) {
        List<int[]> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            batch.add(sentences.get(order[i]));
        }
        return batch;
    }

    /**
     * Per-token log-probabilities under the decoder given codes: {@code result[i][t] = log p(x_t |
     * x_&lt;t, z_i)}, one entry per id of {@code sentences.get(i)} ({@code </s>} included).
     */
    @Override
    public float[][] tokenLogProbs(List<int[]> sentences, float[][] z) {
        return tokenLogProbs(sentences, z, options.batchSize());
    }

    /** {@link #tokenLogProbs(List, float[][])} in batches of {@code batchSize} sentences instead of the options'. */
    public float[][] tokenLogProbs(List<int[]> sentences, float[][] z, int batchSize) {
        checkBatchSize(batchSize);
        OnnxContract.checkTokens(sentences, bundle.vocabulary().size());
        return guard.call(() -> tokenLogProbsOpen(sentences, z, batchSize));
    }

    private float[][] tokenLogProbsOpen(List<int[]> sentences, float[][] z, int batchSize) {
        if (z.length != sentences.size()) {
            throw new IllegalArgumentException(sentences.size() + " sentences but " + z.length + " codes");
        }
        float[][] out = new float[sentences.size()][];
        int[] order = lengthOrder(sentences);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> batch = gather(sentences, order, from, to);
            float[][] codes = new float[to - from][];
            for (int i = from; i < to; i++) {
                codes[i - from] = z[order[i]];
            }
            float[][] lp = run(decoder, batch, codes, OnnxContract.LOGPROBS)[0];
            for (int i = 0; i < batch.size(); i++) {
                out[order[from + i]] = Arrays.copyOf(lp[i], batch.get(i).length);
            }
        }
        return out;
    }

    private float[][][] run(OrtSession session, List<int[]> batch, float[][] z, String... outputs) {
        int b = batch.size();
        int t = 1;
        for (int[] s : batch) {
            if (s.length == 0 || s[s.length - 1] != Vocabulary.EOS_ID) {
                throw new IllegalArgumentException("a sentence must end with </s> (id " + Vocabulary.EOS_ID + "); use SentenceEncoder");
            }
            t = Math.max(t, s.length);
        }
        long[] tokens = new long[b * t];
        long[] lengths = new long[b];
        for (int i = 0; i < b; i++) {
            int[] s = batch.get(i);
            lengths[i] = s.length;
            for (int j = 0; j < s.length; j++) {
                tokens[i * t + j] = s[j];
            }
        }
        List<OnnxTensor> tensors = new ArrayList<>(3);
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {b, t}));
            in.put(OnnxContract.TOKENS, tensors.get(0));
            tensors.add(OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {b}));
            in.put(OnnxContract.LENGTHS, tensors.get(1));
            if (z != null) {
                int d = codeDim();
                float[] flat = new float[b * d];
                for (int i = 0; i < b; i++) {
                    if (z[i].length != d) {
                        throw new IllegalArgumentException("code " + i + " has " + z[i].length + " entries, the model's codes have " + d);
                    }
                    System.arraycopy(z[i], 0, flat, i * d, d);
                }
                tensors.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {b, d}));
                in.put(OnnxContract.Z, tensors.get(2));
            }
            try (OrtSession.Result result = session.run(in)) {
                float[][][] out = new float[outputs.length][][];
                for (int k = 0; k < outputs.length; k++) {
                    out[k] = (float[][]) result.get(outputs[k]).orElseThrow().getValue();
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(bundle.source() + ": ONNX Runtime failed on a batch of " + b + " sentences of up to " + t + " tokens: " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /**
     * This model with another batch size: the same sessions (nothing is loaded), calls in batches
     * of {@code batchSize}. Valid while this model is open.
     */
    public VaeScorer withBatchSize(int batchSize) {
        checkBatchSize(batchSize);
        return new VaeScorer() {
            @Override
            public int latentDim() {
                return SentenceVae.this.latentDim();
            }

            @Override
            public int codeDim() {
                return SentenceVae.this.codeDim();
            }

            @Override
            public Posterior[] encode(List<int[]> sentences) {
                return SentenceVae.this.encode(sentences, batchSize);
            }

            @Override
            public Posterior[] encodeSentences(List<EncodedSentence> sentences) {
                return SentenceVae.this.encodeSentences(sentences, batchSize);
            }

            @Override
            public float[][] tokenLogProbs(List<int[]> sentences, float[][] z) {
                return SentenceVae.this.tokenLogProbs(sentences, z, batchSize);
            }
        };
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be >= 1");
        }
    }

    /** Waits for the calls in flight, then frees the sessions; later calls throw. Idempotent. */
    @Override
    public void close() {
        guard.close(this::closeSessions);
    }

    private void closeSessions() {
        try {
            if (encoder != null) {
                encoder.close();
            }
            if (decoder != null) {
                decoder.close();
            }
            if (backbone != null) {
                backbone.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime sessions of " + bundle.source() + " failed", e);
        }
    }
}
