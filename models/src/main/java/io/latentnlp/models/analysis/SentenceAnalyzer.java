package io.latentnlp.models.analysis;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.LikelihoodEstimator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.runtime.VaeScorer;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The one run-time path from pipeline tokens to what a sentence VAE says about them: tokens are
 * normalized and cut into the bundle's units ({@link SentenceEncoder}), the bundle's encoder
 * family computes q(z|x), the bundle's hash spec gives the semantic hash, the decoder scores the
 * sentence at the posterior code (log p(x|z), per unit, summed back per pipeline token), and
 * optionally K importance samples estimate log p(x) ({@link LikelihoodEstimator}). Every surface
 * (the CoreNLP annotator, the OpenNLP API and tools, the index, Spark, the command line) adapts
 * this class; none assembles the path itself.
 *
 * <pre>{@code
 * try (SentenceAnalyzer analyzer = SentenceAnalyzer.open("minilm-gaussian64")) {
 *     for (SentenceResult s : analyzer.analyze("Raw text. Two sentences.").sentences()) {
 *         s.hash().toHex(); s.logLikelihood(); s.tokenLogProbs(); s.code();
 *     }
 *     analyzer.analyzeTokens(List.of(List.of("The", "jury", "said", "so", ".")));
 * }
 * }</pre>
 *
 * <p>Calls are batched: all sentences of one call go to ONNX Runtime in batches of {@link
 * Builder#optBatchSize} (the encoder family decides how it batches; the decoder sorts by length).
 * A sentence's results do not depend on the other sentences of its call. Thread-safe and
 * immutable; the model is shared, and {@link #close()} closes it only when this analyzer opened it
 * ({@link #open(String)}).
 */
public final class SentenceAnalyzer implements AutoCloseable {

    private final SentenceVae model;
    private final boolean ownsModel;
    private final SentenceEncoder encoder;
    private final VaeScorer scorer;
    private final int batchSize;
    private final boolean likelihoods;
    private final int iwaeSamples;
    private final long seed;
    private final TextSplitter splitter;
    private final boolean hashes;

    private SentenceAnalyzer(Builder b) {
        this.model = b.model;
        this.ownsModel = b.ownsModel;
        ModelBundle bundle = model.bundle();
        this.encoder = bundle.sentenceEncoder(b.maxLength > 0 ? b.maxLength : bundle.manifest().vocab().maxLength());
        this.batchSize = b.batchSize > 0 ? b.batchSize : model.options().batchSize();
        this.scorer = model.withBatchSize(batchSize);
        this.likelihoods = b.likelihoods;
        this.iwaeSamples = b.iwaeSamples;
        this.seed = b.seed;
        this.splitter = b.splitter;
        this.hashes = bundle.manifest().hash() != null;
    }

    /** An analyzer over an open model (which stays the caller's to close). */
    public static Builder builder(SentenceVae model) {
        return new Builder(model, false);
    }

    /**
     * Loads a model and analyzes with the defaults; {@link #close()} closes the model.
     *
     * @param model a shipped model's name ({@link ShippedModels}), a path to a bundle, or null for
     *     the default
     */
    public static SentenceAnalyzer open(String model) {
        SentenceVae vae = SentenceVae.open(ShippedModels.resolve(model), SentenceVae.Options.defaults());
        try {
            return new Builder(vae, true).build();
        } catch (RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    /** The model this analyzer runs. */
    public SentenceVae model() {
        return model;
    }

    /** The encoder from pipeline tokens to the model's units (normalizer, vocabulary, maximum length). */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /** Whether results carry a hash (the bundle has a hash spec). */
    public boolean hashes() {
        return hashes;
    }

    /** What the model's units are: {@code words}, or {@code wordpiece} for an open vocabulary. */
    public String units() {
        return model.bundle().manifest().vocab().unitName();
    }

    /** IWAE samples K per sentence (0 = no estimate). */
    public int iwaeSamples() {
        return iwaeSamples;
    }

    /**
     * This analyzer with another IWAE setting, sharing everything else (nothing is loaded).
     *
     * @param samples K, 0 = no estimate
     * @param seed the noise seed (a sentence gets the same estimate in any batch)
     */
    public SentenceAnalyzer withIwae(int samples, long seed) {
        if (samples == iwaeSamples && seed == this.seed) {
            return this;
        }
        return toBuilder().optIwae(samples, seed).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(model, false);
        b.maxLength = encoder.maxLength();
        b.batchSize = batchSize;
        b.likelihoods = likelihoods;
        b.iwaeSamples = iwaeSamples;
        b.seed = seed;
        b.splitter = splitter;
        return b;
    }

    /** Raw text: cut into sentences and tokens by the analyzer's {@link TextSplitter}, then analyzed. */
    public DocumentResult analyze(String text) {
        return DocumentResult.of(analyzeTokens(splitter.split(text)));
    }

    /** One document of tokenized sentences, with its document-level codes. */
    public DocumentResult analyzeDocument(List<? extends List<String>> sentences) {
        return DocumentResult.of(analyzeTokens(sentences));
    }

    /** Many documents, their sentences batched together. */
    public List<DocumentResult> analyzeDocuments(List<? extends List<? extends List<String>>> documents) {
        List<List<String>> all = new ArrayList<>();
        documents.forEach(all::addAll);
        List<SentenceResult> results = analyzeTokens(all);
        List<DocumentResult> out = new ArrayList<>(documents.size());
        int next = 0;
        for (List<? extends List<String>> d : documents) {
            out.add(DocumentResult.of(results.subList(next, next + d.size())));
            next += d.size();
        }
        return out;
    }

    /**
     * Sentences given as pipeline tokens, batched; results in input order. An empty sentence is
     * read as {@code </s>} alone.
     */
    public List<SentenceResult> analyzeTokens(List<? extends List<String>> sentences) {
        List<EncodedSentence> encoded = new ArrayList<>(sentences.size());
        for (List<String> s : sentences) {
            encoded.add(encoder.encode(s));
        }
        return analyzeEncoded(sentences, encoded);
    }

    /**
     * Sentences already encoded by {@link #encoder()} (e.g. by a caller that keeps the units),
     * with the pipeline tokens each came from.
     */
    public List<SentenceResult> analyzeEncoded(List<? extends List<String>> tokens, List<EncodedSentence> encoded) {
        if (tokens.size() != encoded.size()) {
            throw new IllegalArgumentException(tokens.size() + " token lists but " + encoded.size() + " encoded sentences");
        }
        if (encoded.isEmpty()) {
            return List.of();
        }
        List<int[]> ids = EncodedSentence.ids(encoded);
        Posterior[] q = scorer.encodeSentences(encoded);
        float[][] lp = likelihoods ? scorer.tokenLogProbs(ids, Arrays.stream(q).map(Posterior::code).toArray(float[][]::new)) : null;
        double[] iwae = iwaeSamples > 0 ? LikelihoodEstimator.logMarginal(scorer, ids, q, iwaeSamples, seed) : null;
        List<SentenceResult> out = new ArrayList<>(q.length);
        for (int i = 0; i < q.length; i++) {
            List<String> t = List.copyOf(tokens.get(i));
            EncodedSentence e = encoded.get(i);
            SemanticHash hash = hashes ? model.hash(q[i]) : null;
            double logLikelihood = lp == null ? Double.NaN : LikelihoodEstimator.rowSums(new float[][] {lp[i]})[0];
            double[] perToken = lp == null ? null : e.perToken(lp[i], t.size());
            out.add(new SentenceResult(t, e, q[i], hash, logLikelihood, iwae == null ? OptionalDouble.empty() : OptionalDouble.of(iwae[i]), perToken));
        }
        return out;
    }

    /** Closes the model when this analyzer opened it ({@link #open(String)}); otherwise nothing. Idempotent. */
    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    /**
     * Settings of an analyzer, DJL style: {@code opt*} for optional settings, {@link #build()}
     * checks them.
     */
    public static final class Builder {
        private final SentenceVae model;
        private final boolean ownsModel;
        private int maxLength;
        private int batchSize;
        private boolean likelihoods = true;
        private int iwaeSamples;
        private long seed = 42;
        private TextSplitter splitter = SimpleTextSplitter.INSTANCE;

        private Builder(SentenceVae model, boolean ownsModel) {
            if (model == null) {
                throw new IllegalArgumentException("model is null");
            }
            this.model = model;
            this.ownsModel = ownsModel;
        }

        /** Units read per sentence, longer ones truncated; 0 (default) = the bundle's training maximum. */
        public Builder optMaxLength(int maxLength) {
            if (maxLength < 0) {
                throw new IllegalArgumentException("illegal maxLength " + maxLength + ": must be >= 0 (0 = the model's training maximum)");
            }
            this.maxLength = maxLength;
            return this;
        }

        /** Sentences per ONNX Runtime call; 0 (default) = the model's {@link SentenceVae.Options#batchSize()}. */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("illegal batchSize " + batchSize + ": must be >= 1 (or 0 = the model's)");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether to score sentences under the decoder (log p(x|z), per token); default true. Off: codes and hashes only. */
        public Builder optLikelihoods(boolean likelihoods) {
            this.likelihoods = likelihoods;
            return this;
        }

        /**
         * The IWAE estimate of log p(x) with K samples per sentence (default 0 = none).
         *
         * @param seed the noise seed (default 42); a sentence gets the same estimate in any batch
         */
        public Builder optIwae(int samples, long seed) {
            if (samples < 0) {
                throw new IllegalArgumentException("illegal iwaeSamples " + samples + ": must be >= 0 (0 = no estimate)");
            }
            this.iwaeSamples = samples;
            this.seed = seed;
            return this;
        }

        /** How {@link SentenceAnalyzer#analyze(String)} cuts raw text (default {@link SimpleTextSplitter}). */
        public Builder optSplitter(TextSplitter splitter) {
            if (splitter == null) {
                throw new IllegalArgumentException("splitter is null");
            }
            this.splitter = splitter;
            return this;
        }

        public SentenceAnalyzer build() {
            if (iwaeSamples > 0 && !likelihoods) {
                throw new IllegalArgumentException("an IWAE estimate needs the decoder: optIwae(" + iwaeSamples + ", ...) with optLikelihoods(false)");
            }
            return new SentenceAnalyzer(this);
        }
    }
}
