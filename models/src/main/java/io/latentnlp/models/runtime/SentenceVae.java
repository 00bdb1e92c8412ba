package io.latentnlp.models.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
    private final Manifest.Latent latent;
    private final EncoderFamily family;
    private EncoderFamily.Encoder encoder;
    private OrtSession decoder;
    private final CloseGuard guard;

    private SentenceVae(ModelBundle bundle, Options options) {
        this.bundle = bundle;
        this.options = options;
        this.latent = bundle.manifest().latent();
        this.family = EncoderFamilies.forName(bundle.manifest().encoderFamily());
        this.guard = new CloseGuard(bundle.source() + ": this SentenceVae is closed");
        try {
            encoder = family.open(bundle, options);
            String where = bundle.source() + "!" + ModelBundle.DECODER;
            decoder = OrtSessions.open(where, bundle.file(ModelBundle.DECODER), options.intraOpThreads(),
                    Set.of(OnnxContract.TOKENS, OnnxContract.LENGTHS, OnnxContract.Z), Set.of(OnnxContract.LOGPROBS));
            TokenGraphs.checkLatentWidths(where, decoder, latent);
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
        List<EncodedSentence> known = sentences.stream().map(EncodedSentence::ofIds).toList();
        return guard.call(() -> encoder.encode(known, batchSize));
    }

    /**
     * Encodes sentences to their posteriors, whatever the bundle's encoder family ({@link
     * EncoderFamily}): the LSTM family reads the ids, the pretrained family the normalized text
     * (its backbone tokenizes it into word pieces itself).
     *
     * @throws IllegalArgumentException when the family needs what a sentence lacks (text, for the pretrained family)
     */
    @Override
    public Posterior[] encodeSentences(List<EncodedSentence> sentences) {
        return encodeSentences(sentences, options.batchSize());
    }

    /** {@link #encodeSentences(List)} in batches of {@code batchSize} sentences instead of the options'. */
    public Posterior[] encodeSentences(List<EncodedSentence> sentences, int batchSize) {
        checkBatchSize(batchSize);
        OnnxContract.checkTokens(EncodedSentence.ids(sentences), bundle.vocabulary().size());
        return guard.call(() -> encoder.encode(sentences, batchSize));
    }

    /** The encoder family of the bundle ({@link EncoderFamilies#forName} of its manifest's name). */
    public EncoderFamily family() {
        return family;
    }

    /** The backbone of a pretrained-family bundle (empty for the LSTM family). */
    public java.util.Optional<PretrainedBackbone> backbone() {
        return encoder == null ? java.util.Optional.empty() : encoder.backbone();
    }

    /**
     * The encoder on backbone embeddings computed elsewhere (e.g. cached for a corpus that several
     * bundles of one backbone evaluate): {@code features[i]} must be {@link #backbone()}'s
     * embedding of sentence i's text.
     *
     * @throws IllegalStateException for a family that reads no backbone features
     */
    public Posterior[] encodeFeatures(float[][] features) {
        return guard.call(() -> encoder.encodeFeatures(features, options.batchSize()));
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
        int[] order = TokenGraphs.lengthOrder(sentences);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> batch = TokenGraphs.gather(sentences, order, from, to);
            float[][] codes = new float[to - from][];
            for (int i = from; i < to; i++) {
                codes[i - from] = z[order[i]];
            }
            float[][] lp = TokenGraphs.run(decoder, bundle.source(), batch, codes, codeDim(), OnnxContract.LOGPROBS)[0];
            for (int i = 0; i < batch.size(); i++) {
                out[order[from + i]] = Arrays.copyOf(lp[i], batch.get(i).length);
            }
        }
        return out;
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
            if (decoder != null) {
                decoder.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime sessions of " + bundle.source() + " failed", e);
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
    }
}
