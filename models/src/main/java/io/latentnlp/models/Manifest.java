package io.latentnlp.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle: what the model is, how its tokens are prepared,
 * where it came from, how well it did, and the sha256 of every other file in the bundle.
 *
 * @param formatVersion bundle format; this library reads {@link #FORMAT_VERSION}
 * @param name a short model name, e.g. {@code brown-gauss32}
 * @param latent latent family and size
 * @param architecture layer sizes of the encoder and decoder
 * @param normalizer the {@link TokenNormalizer#spec()} the vocabulary was built with
 * @param vocab vocabulary size and the longest sentence (in tokens) the model was trained on
 * @param hash how a posterior becomes a {@link SemanticHash}; null in bundles without hashing
 * @param provenance corpus and its sha256, command line, seed, library versions, time
 * @param metrics evaluation results (name to value), e.g. {@code test.iw_nll}
 * @param files file name to lower-case hex sha256, for every file but the manifest
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
        Map<String, String> files) {

    /** The bundle format this version of the library writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /**
     * @param type the latent family
     * @param dim number of latent dimensions
     */
    public record Latent(LatentType type, int dim) {}

    /**
     * @param embeddingDim word embedding size (encoder and decoder)
     * @param hiddenDim LSTM state size (encoder and decoder)
     */
    public record Architecture(int embeddingDim, int hiddenDim) {}

    /**
     * @param size vocabulary entries, specials included
     * @param maxLength longest sentence in tokens used in training; longer input is truncated
     */
    public record Vocab(int size, int maxLength) {}

    /**
     * The hash of a Gaussian posterior: bit i is 1 when mean_i is above {@code thresholds[i]}, the
     * median of mean_i over the training set (so each bit splits the training data in half).
     *
     * @param method {@link #MEDIAN_THRESHOLD}
     * @param bits number of bits (= latent dimensions)
     * @param thresholds one per bit
     */
    public record Hash(String method, int bits, float[] thresholds) {
        public static final String MEDIAN_THRESHOLD = "median-threshold";
    }

    /** A copy with the given file checksums. */
    public Manifest withFiles(Map<String, String> newFiles) {
        return new Manifest(formatVersion, name, latent, architecture, normalizer, vocab, hash, provenance, metrics, newFiles);
    }
}
