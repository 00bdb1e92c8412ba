package io.latentnlp.models.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle: what the model is, how its tokens are prepared,
 * where it came from, how well it did, and the sha256 of every other file in the bundle.
 *
 * @param formatVersion bundle format: {@link #FORMAT_VERSION}, {@link #FORMAT_VERSION_WORDPIECE}
 *     for an open vocabulary, or {@link #FORMAT_VERSION_SHARED} for a bundle with a {@code base}
 * @param name a short model name, e.g. {@code brown-gauss32}
 * @param latent latent family and size
 * @param architecture layer sizes of the encoder and decoder
 * @param normalizer the {@link TokenNormalizer#spec()} the vocabulary was built with
 * @param vocab vocabulary size and the longest sentence (in tokens) the model was trained on
 * @param hash how a posterior becomes a {@link SemanticHash}; null in bundles without hashing
 * @param provenance corpus and its sha256, command line, seed, library versions, time
 * @param metrics evaluation results (name to value), e.g. {@code test.iw_nll}
 * @param files file name to lower-case hex sha256, for every file but the manifest
 * @param encoder the encoder family and what it needs; null in bundles before families existed
 *     (= {@link Encoder#LSTM})
 * @param base the bundle this one shares files with (format {@link #FORMAT_VERSION_SHARED}): a
 *     shipped model name, or a path relative to the directory holding this bundle; every file
 *     listed in {@code files} but absent from this bundle is read from the base and must match
 *     this manifest's sha256. Null in a self-contained bundle.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        int formatVersion,
        String name,
        Latent latent,
        Architecture architecture,
        Map<String, Object> normalizer,
        Vocab vocab,
        Hash hash,
        Map<String, Object> provenance,
        Map<String, Object> metrics,
        Map<String, String> files,
        Encoder encoder,
        String base) {

    /** A manifest of the LSTM family (no {@link #encoder()} entry, as bundles before families). */
    public Manifest(int formatVersion, String name, Latent latent, Architecture architecture, Map<String, Object> normalizer, Vocab vocab, Hash hash,
            Map<String, Object> provenance, Map<String, Object> metrics, Map<String, String> files) {
        this(formatVersion, name, latent, architecture, normalizer, vocab, hash, provenance, metrics, files, null, null);
    }

    /** A self-contained manifest (no {@link #base()}). */
    public Manifest(int formatVersion, String name, Latent latent, Architecture architecture, Map<String, Object> normalizer, Vocab vocab, Hash hash,
            Map<String, Object> provenance, Map<String, Object> metrics, Map<String, String> files, Encoder encoder) {
        this(formatVersion, name, latent, architecture, normalizer, vocab, hash, provenance, metrics, files, encoder, null);
    }

    /**
     * Which encoder computes q(z|x) ({@code encoder.onnx}'s inputs depend on it).
     *
     * @param family {@link #LSTM} (tokens, lengths -&gt; posterior) or {@link #PRETRAINED} (a frozen
     *     backbone's sentence embedding, {@code features} [B,F] -&gt; posterior)
     * @param backbone the backbone of the pretrained family; null for the LSTM family
     */
    public record Encoder(String family, PretrainedBackbone.Spec backbone) {
        public static final String LSTM = "lstm";
        public static final String PRETRAINED = "pretrained";
    }

    /** The encoder family ({@link Encoder#LSTM} when the manifest names none). */
    public String encoderFamily() {
        return encoder == null || encoder.family() == null ? Encoder.LSTM : encoder.family();
    }

    /** The bundle format of word-vocabulary bundles (the first format; this library reads and writes it). */
    public static final int FORMAT_VERSION = 1;

    /**
     * The format of bundles with an open word-piece vocabulary ({@link Vocab#wordPieces()}): a
     * library that only knows version 1 would read their pieces as words, so they carry a version
     * it refuses. This library reads both.
     */
    public static final int FORMAT_VERSION_WORDPIECE = 2;

    /**
     * The format of bundles that share files with a base bundle ({@link #base()}), with either
     * vocabulary: a library that knows only versions 1 and 2 would report their shared files as
     * missing, so they carry a version it refuses.
     */
    public static final int FORMAT_VERSION_SHARED = 3;

    /** The format version a manifest with this vocabulary is written with. */
    public static int formatVersion(Vocab vocab) {
        return vocab.wordPieces() ? FORMAT_VERSION_WORDPIECE : FORMAT_VERSION;
    }

    /**
     * @param type the latent family
     * @param dim number of latent variables d (dimensions, bits or categorical groups)
     * @param categories classes per variable K for {@link LatentType#CATEGORICAL}; 0 otherwise
     */
    public record Latent(LatentType type, int dim, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int categories) {

        /** A Gaussian or Bernoulli latent (no categories). */
        public Latent(LatentType type, int dim) {
            this(type, dim, 0);
        }

        /** The width of a code z the decoder reads ({@link LatentType#codeDim}). */
        public int codeDim() {
            return type.codeDim(dim, categories);
        }
    }

    /**
     * @param embeddingDim word embedding size (encoder and decoder)
     * @param hiddenDim LSTM state size (encoder and decoder)
     * @param tiedEmbeddings whether the decoder's output layer reuses its embedding matrix
     *     (absent in older manifests: false)
     * @param decoder {@link #LSTM_DECODER} (absent in older manifests), {@link #TOPIC_DECODER} or
     *     {@link #BOW_DECODER}; every family keeps the same graph contract
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Architecture(int embeddingDim, int hiddenDim, boolean tiedEmbeddings, String decoder) {
        /** The LSTM decoder, log p(x_t | x_&lt;t, z). */
        public static final String LSTM_DECODER = "lstm";
        /** The bag-of-words decoder, log p(x_t | z) = log softmax(W z + b)[x_t], no word order (hash-only models). */
        public static final String BOW_DECODER = "bow";
        /**
         * The LSTM decoder with a global term U z added to its logits at every position,
         * log softmax(W h_t + b + U z)[x_t] (as TopicRNN adds its topic vector, Dieng et al. 2017): the
         * code can raise the words a sentence is about without passing them through the LSTM's state.
         */
        public static final String TOPIC_DECODER = "lstm-topic";
        /** Every decoder family. */
        public static final java.util.List<String> DECODERS = java.util.List.of(LSTM_DECODER, TOPIC_DECODER, BOW_DECODER);

        public Architecture(int embeddingDim, int hiddenDim) {
            this(embeddingDim, hiddenDim, false, null);
        }

        public Architecture(int embeddingDim, int hiddenDim, boolean tiedEmbeddings) {
            this(embeddingDim, hiddenDim, tiedEmbeddings, null);
        }

        /** The decoder family ({@link #LSTM_DECODER} when the manifest names none). */
        public String decoderFamily() {
            return decoder == null ? LSTM_DECODER : decoder;
        }
    }

    /**
     * @param size vocabulary entries, specials included
     * @param maxLength longest sentence in units (words, or word pieces) used in training; longer
     *     input is truncated
     * @param units what the vocabulary's entries are: null or {@link #WORDS} for normalized
     *     words (a closed vocabulary, rare words are {@code <unk>}), {@link Subwords#WORDPIECE}
     *     for word pieces segmented by the bundle's {@value Subwords#FILE} (an open vocabulary)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vocab(int size, int maxLength, String units) {
        public static final String WORDS = "words";

        /** A word vocabulary (bundles before open vocabularies). */
        public Vocab(int size, int maxLength) {
            this(size, maxLength, null);
        }

        /** The units' name, {@link #WORDS} when the manifest names none. */
        public String unitName() {
            return units == null ? WORDS : units;
        }

        /** Whether the entries are word pieces. */
        public boolean wordPieces() {
            return Subwords.WORDPIECE.equals(units);
        }
    }

    /**
     * How a posterior becomes a {@link SemanticHash} ({@link LatentHasher} implements it).
     *
     * <ul>
     *   <li>{@link #MEDIAN_THRESHOLD} (Gaussian): bit i is 1 when mean_i is above {@code
     *       thresholds[i]}, the median of mean_i over the training set (so each bit splits the
     *       training data in half); bits = d.
     *   <li>{@link #POSTERIOR_MODE} (Bernoulli): bit i is 1 when q(z_i = 1 | x) &gt;= 1/2; bits = d,
     *       no thresholds.
     *   <li>{@link #ARGMAX_PACKED} (categorical, K a power of two): each group's argmax class in
     *       log2 K bits, most significant first, groups in order; bits = d log2 K, no thresholds.
     *
     *   <li>{@link #ITQ} (any latent): iterative quantization of the posterior mean E_q[z]
     *       (Gong and Lazebnik 2011), fitted on the training set: bit b is 1 when (E_q[z] -
     *       center) . projection[., b] &gt;= 0; projection = principal directions times a learned
     *       rotation, so bits are balanced and little correlated; bits &lt;= code width.
     * </ul>
     *
     * @param method one of the constants
     * @param bits number of bits
     * @param thresholds one per bit for {@link #MEDIAN_THRESHOLD}; null otherwise
     * @param center the training mean of E_q[z] for {@link #ITQ}, [c]; null otherwise
     * @param projection row-major [c][bits] for {@link #ITQ}; null otherwise
     */
    public record Hash(String method, int bits, float[] thresholds, float[] center, float[] projection) {
        public static final String MEDIAN_THRESHOLD = "median-threshold";
        public static final String POSTERIOR_MODE = "posterior-mode";
        public static final String ARGMAX_PACKED = "argmax-packed";
        public static final String ITQ = "itq";

        /** A spec without ITQ parameters. */
        public Hash(String method, int bits, float[] thresholds) {
            this(method, bits, thresholds, null, null);
        }
    }

    /** A copy with the given file checksums. */
    public Manifest withFiles(Map<String, String> newFiles) {
        return new Manifest(formatVersion, name, latent, architecture, normalizer, vocab, hash, provenance, metrics, newFiles, encoder, base);
    }

    /** A copy that shares files with {@code newBase} (format {@link #FORMAT_VERSION_SHARED}), or a self-contained one when it is null. */
    public Manifest withBase(String newBase) {
        int version = newBase != null ? FORMAT_VERSION_SHARED : base != null ? formatVersion(vocab) : formatVersion;
        return new Manifest(version, name, latent, architecture, normalizer, vocab, hash, provenance, metrics, files, encoder, newBase);
    }
}
