package io.latentnlp.training;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.training.model.CategoricalEstimator;
import io.latentnlp.training.model.Dims;

/**
 * Every setting of a training run, validated at construction. Immutable; build with
 * {@link #builder()}. Stored as {@code config.json} in the run directory, so that
 * {@code --resume} can refuse to continue a run with different settings.
 *
 * @param latentType the VAE's latent family ({@link LatentType#GAUSSIAN}, {@link
 *     LatentType#BERNOULLI}, {@link LatentType#CATEGORICAL}), or {@link LatentType#NONE} for the
 *     LSTM language-model baseline (same decoder, no z)
 * @param latentDim latent variables: dimensions, bits or categorical groups (ignored for the baseline)
 * @param categories classes per categorical group K (categorical only; 0 otherwise)
 * @param estimator categorical gradient estimator (ignored for other families)
 * @param tau Gumbel-softmax temperature at the first main-phase step (categorical only)
 * @param tauMin lowest temperature under annealing
 * @param tauAnnealRate tau(step) = max(tauMin, tau exp(-rate step)) over main-phase steps; 0 = fixed tau
 * @param embeddingDim word embedding size
 * @param hiddenDim LSTM state size of encoder and decoder
 * @param tieEmbeddings the decoder's output layer reuses its input embedding matrix (Press and Wolf
 *     2017; needs embeddingDim = hiddenDim): V E fewer parameters in the decoder and its step graph
 * @param dropout dropout rate on decoder inputs and outputs, in [0, 1)
 * @param vocabSize maximum vocabulary size, specials included
 * @param minCount minimum training count of a vocabulary token
 * @param maxLength longest sentence kept, in tokens; longer ones are truncated and counted
 * @param batchSize sentences per gradient step
 * @param learningRate Adam step size
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param epochs epochs of the main phase
 * @param pretrainEpochs epochs of encoder pretraining (beta = 0) before the main phase; the
 *     decoder is reset after them (Li et al. 2019); 0 = off
 * @param annealSteps steps over which beta rises linearly from {@code betaStart} to 1 in the main
 *     phase; 0 = beta is 1 from the start
 * @param betaStart beta at the first step of annealing
 * @param freeBits per-dimension free-bits target lambda in nats (0 = off)
 * @param iwaeSamples K of the IWAE training objective (1 = the ELBO)
 * @param evalSamples K of the importance-weighted NLL in per-epoch validation
 * @param testSamples K of the importance-weighted NLL in the final test evaluation
 * @param maxSentences use at most this many training sentences (0 = all)
 * @param maxStepsPerEpoch stop an epoch after this many steps (0 = full epochs); for smoke runs
 * @param seed master seed; every random stream is derived from it
 * @param encoder the encoder family: {@code lstm} (embedding, LSTM, linear maps) or {@code
 *     pretrained} (a frozen {@link io.latentnlp.models.runtime.PretrainedBackbone}'s sentence embedding
 *     through a trained head tanh(W f + b) and the linear maps); null = lstm
 * @param backbone the backbone name of the pretrained family; null otherwise
 * @param bowWeight weight of the bag-of-words auxiliary loss (Zhao et al. 2017); 0 = off
 * @param wordDropout rate at which decoder input words become {@code <unk>} in training
 *     (Bowman et al. 2016); 0 = off
 * @param units what the vocabulary holds: {@code words} (normalized words; rare ones are {@code
 *     <unk>}) or {@code wordpiece} (an open vocabulary: the {@code vocabSize} word pieces of
 *     all-MiniLM-L6-v2's WordPiece vocabulary that the training corpus uses most, plus all its
 *     characters); null = words
 * @param initDecoder the run directory of a trained language model (the baseline) on the same
 *     vocabulary and sizes: the decoder starts from its best parameters, with the weights that
 *     read z at zero, so training starts at the language model's likelihood (and encoder
 *     pretraining resets the decoder to it, not to random values); null = random initialization
 * @param alignWeight weight of the alignment loss (pretrained encoder family, Gaussian latent):
 *     the posterior mean is pulled towards {@code alignScale} times the sentence's backbone
 *     embedding projected on the training embeddings' top d principal directions (divided by the
 *     root of their mean variance), so the code keeps the backbone's geometry, and with it the
 *     hash's retrieval quality, at a KL of about d alignScale^2 / 2 nats; 0 = off
 * @param alignScale the spread of the aligned posterior means (their root mean square per
 *     dimension) against the prior's 1: a smaller scale is a smaller KL and less for the decoder
 * @param neighbors the neighbourhood-preserving loss of the posterior mean's relaxed bits
 *     ({@link io.latentnlp.training.model.NeighborLoss}; pretrained encoder family, Gaussian
 *     latent); null = off (and in config files written before it)
 */
// "pretrained": a derived flag that config.json files written during this version's development
// carried; it is not a setting, so reading such a file ignores it.
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(value = {"pretrained"}, allowGetters = false, ignoreUnknown = false)
public record TrainConfig(
        LatentType latentType,
        int latentDim,
        int categories,
        CategoricalEstimator estimator,
        double tau,
        double tauMin,
        double tauAnnealRate,
        int embeddingDim,
        int hiddenDim,
        boolean tieEmbeddings,
        double dropout,
        int vocabSize,
        int minCount,
        int maxLength,
        int batchSize,
        double learningRate,
        double clipNorm,
        int epochs,
        int pretrainEpochs,
        int annealSteps,
        double betaStart,
        double freeBits,
        int iwaeSamples,
        int evalSamples,
        int testSamples,
        int maxSentences,
        int maxStepsPerEpoch,
        long seed,
        String encoder,
        String backbone,
        double bowWeight,
        double wordDropout,
        String units,
        String initDecoder,
        double alignWeight,
        double alignScale,
        String decoder,
        int sampledSoftmax,
        io.latentnlp.training.model.NeighborLoss.Settings neighbors) {

    /** Vocabulary units: normalized words. */
    public static final String WORDS = io.latentnlp.models.bundle.Manifest.Vocab.WORDS;
    /** Vocabulary units: word pieces (an open vocabulary). */
    public static final String WORDPIECE = io.latentnlp.models.text.Subwords.WORDPIECE;

    /** The LSTM encoder family. */
    public static final String LSTM = io.latentnlp.models.bundle.Manifest.Encoder.LSTM;
    /** The pretrained encoder family. */
    public static final String PRETRAINED = io.latentnlp.models.bundle.Manifest.Encoder.PRETRAINED;

    /** The LSTM decoder: log p(x_t | x_&lt;t, z). */
    public static final String LSTM_DECODER = io.latentnlp.models.bundle.Manifest.Architecture.LSTM_DECODER;
    /**
     * The bag-of-words decoder of VDSH/NASH (Chaidaroon and Fang 2017, Shen et al. 2018): log p(x_t
     * | z) = log softmax(W z + b)[x_t] at every position, no word order, for hash-only models.
     */
    public static final String BOW_DECODER = io.latentnlp.models.bundle.Manifest.Architecture.BOW_DECODER;
    /** The LSTM decoder with U z added to its logits at every position (TopicRNN's global bias; {@link Dims#topic()}). */
    public static final String TOPIC_DECODER = io.latentnlp.models.bundle.Manifest.Architecture.TOPIC_DECODER;

    /** Whether the decoder is the bag-of-words one. */
    public boolean bowDecoder() {
        return BOW_DECODER.equals(decoder);
    }

    /** Whether the vocabulary is word pieces (an open vocabulary). */
    public boolean wordPieces() {
        return WORDPIECE.equals(units);
    }

    /** The smallest LSTM state size whose DJL results match the ONNX export (see the constructor). */
    public static final int MIN_HIDDEN = 24;

    public TrainConfig {
        if (units == null) {
            units = WORDS; // configs written before open vocabularies
        }
        if (!units.equals(WORDS) && !units.equals(WORDPIECE)) {
            throw new IllegalArgumentException("unknown vocabulary units '" + units + "' (known: " + WORDS + ", " + WORDPIECE + ")");
        }
        if (encoder == null) {
            encoder = LSTM; // configs written before encoder families
        }
        if (!encoder.equals(LSTM) && !encoder.equals(PRETRAINED)) {
            throw new IllegalArgumentException("unknown encoder '" + encoder + "' (known: " + LSTM + ", " + PRETRAINED + ")");
        }
        if (encoder.equals(PRETRAINED)) {
            if (backbone == null || !io.latentnlp.models.runtime.PretrainedBackbone.known().contains(backbone)) {
                throw new IllegalArgumentException("the pretrained encoder needs a known backbone, not " + backbone + " (known: "
                        + io.latentnlp.models.runtime.PretrainedBackbone.known() + ")");
            }
        } else if (backbone != null) {
            throw new IllegalArgumentException("backbone " + backbone + " applies only to the pretrained encoder, not " + encoder);
        }
        if (decoder == null) {
            decoder = LSTM_DECODER; // configs written before decoder families
        }
        if (!io.latentnlp.models.bundle.Manifest.Architecture.DECODERS.contains(decoder)) {
            throw new IllegalArgumentException("unknown decoder '" + decoder + "' (known: " + String.join(", ", io.latentnlp.models.bundle.Manifest.Architecture.DECODERS) + ")");
        }
        if (decoder.equals(TOPIC_DECODER) && latentType == LatentType.NONE) {
            throw new IllegalArgumentException("the lstm-topic decoder adds U z to the language model's logits: it needs a latent variable (train the"
                    + " language model to compare it with as --model lm, whose decoder is the plain LSTM)");
        }
        if (decoder.equals(BOW_DECODER) && (latentType == LatentType.NONE || initDecoder != null || bowWeight > 0 || wordDropout > 0 || tieEmbeddings)) {
            throw new IllegalArgumentException("the bag-of-words decoder predicts each word from z alone: it needs a latent variable, and a language model"
                    + " to start from, the bag-of-words loss, word dropout and tied embeddings do not apply to it");
        }
        nonNegative("sampled softmax negatives", sampledSoftmax);
        if (sampledSoftmax > 0 && decoder.equals(BOW_DECODER)) {
            throw new IllegalArgumentException("the sampled softmax trains the LSTM decoder's output layer; the bag-of-words decoder has one softmax"
                    + " per sentence and needs none");
        }
        if (initDecoder != null && initDecoder.isBlank()) {
            throw new IllegalArgumentException("the language model to start the decoder from is an empty path");
        }
        nonNegative("bag-of-words weight", bowWeight);
        nonNegative("alignment weight", alignWeight);
        if (alignScale == 0 && alignWeight == 0) {
            alignScale = 0.5; // configs written before the alignment loss
        }
        if (!(alignScale > 0 && Double.isFinite(alignScale))) {
            throw new IllegalArgumentException("illegal alignment scale " + alignScale + ": must be a positive finite value");
        }
        if (alignWeight > 0 && (!encoder.equals(PRETRAINED) || latentType != LatentType.GAUSSIAN)) {
            throw new IllegalArgumentException("the alignment loss pulls a Gaussian posterior mean towards the backbone's principal components: it needs"
                    + " --encoder pretrained and a gaussian latent, not " + encoder + " and " + (latentType == null ? null : latentType.label()));
        }
        if (neighbors != null && (!encoder.equals(PRETRAINED) || latentType != LatentType.GAUSSIAN)) {
            throw new IllegalArgumentException("the neighbor loss trains the signs of a Gaussian posterior mean against the backbone's neighbourhoods: it"
                    + " needs --encoder pretrained and a gaussian latent, not " + encoder + " and " + (latentType == null ? null : latentType.label()));
        }
        if (!(wordDropout >= 0 && wordDropout < 1)) {
            throw new IllegalArgumentException("illegal word dropout " + wordDropout + ": must be in [0, 1)");
        }
        if (latentType == LatentType.NONE && (encoder.equals(PRETRAINED) || bowWeight > 0)) {
            throw new IllegalArgumentException("the language-model baseline has no latent variable: the pretrained encoder and the bag-of-words loss do not apply");
        }
        if (latentType == null) {
            throw new IllegalArgumentException("latent type must be set (gaussian or none)");
        }
        positive("latent dim", latentType == LatentType.NONE ? 1 : latentDim);
        positive("embedding dim", embeddingDim);
        if (hiddenDim < MIN_HIDDEN) {
            // Measured: PyTorch 2.7.1's CPU LSTM (as DJL 0.36 calls it) departs from the standard LSTM
            // equations, and so from the exported ONNX graph, at hidden sizes 8 and 16; 24 and up agree.
            throw new IllegalArgumentException("illegal hidden dim " + hiddenDim + ": must be at least " + MIN_HIDDEN
                    + " (PyTorch's CPU LSTM disagrees with the ONNX export at smaller sizes)");
        }
        if (tieEmbeddings && embeddingDim != hiddenDim) {
            throw new IllegalArgumentException("tied embeddings need embedding dim = hidden dim (the output layer reuses the [V, E] embedding"
                    + " for the [H] decoder state); got embedding dim " + embeddingDim + ", hidden dim " + hiddenDim);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("illegal dropout " + dropout + ": must be in [0, 1)");
        }
        if (vocabSize < 5) {
            throw new IllegalArgumentException("illegal vocab size " + vocabSize + ": must be at least 5");
        }
        positive("min count", minCount);
        positive("max length", maxLength);
        positive("batch size", batchSize);
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("illegal learning rate " + learningRate + ": must be a positive finite value");
        }
        nonNegative("clip norm", clipNorm);
        positive("epochs", epochs);
        nonNegative("pretrain epochs", pretrainEpochs);
        nonNegative("anneal steps", annealSteps);
        if (!(betaStart >= 0 && betaStart <= 1)) {
            throw new IllegalArgumentException("illegal beta start " + betaStart + ": must be in [0, 1]");
        }
        nonNegative("free bits", freeBits);
        positive("IWAE samples", iwaeSamples);
        positive("eval samples", evalSamples);
        positive("test samples", testSamples);
        nonNegative("max sentences", maxSentences);
        nonNegative("max steps per epoch", maxStepsPerEpoch);
        if (iwaeSamples > 1 && bowWeight > 0) {
            throw new IllegalArgumentException("the IWAE training objective (iwae samples " + iwaeSamples
                    + ") has no bag-of-words term: set bow weight to 0, or iwae samples to 1");
        }
        if (iwaeSamples > 1 && (freeBits > 0 || annealSteps > 0)) {
            throw new IllegalArgumentException("the IWAE objective (iwae samples " + iwaeSamples
                    + ") bounds log p(x) only with beta = 1 and no free bits: set anneal steps and free bits to 0, or iwae samples to 1");
        }
        if (latentType == LatentType.CATEGORICAL) {
            if (categories < 2) {
                throw new IllegalArgumentException("illegal categories " + categories + ": a categorical latent needs at least 2 classes per group");
            }
            if (estimator == null) {
                throw new IllegalArgumentException("a categorical latent needs an estimator (gumbel or st-gumbel)");
            }
            if (!(tau > 0 && tauMin > 0 && tauMin <= tau && Double.isFinite(tau))) {
                throw new IllegalArgumentException("illegal Gumbel-softmax temperatures tau " + tau + ", tau min " + tauMin + ": need 0 < tau min <= tau");
            }
            nonNegative("tau anneal rate", tauAnnealRate);
        } else if (categories != 0) {
            throw new IllegalArgumentException("categories " + categories + " apply only to a categorical latent, not " + latentType.label());
        }
        double maxKl = latentType == LatentType.BERNOULLI ? Math.log(2) : latentType == LatentType.CATEGORICAL ? Math.log(categories) : Double.POSITIVE_INFINITY;
        if (freeBits >= maxKl) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "illegal free bits %s: a %s latent variable's KL never exceeds %.3f nats, so every variable would get no KL gradient; use a smaller value",
                    freeBits, latentType.label(), maxKl));
        }
        if (iwaeSamples > 1 && latentType != LatentType.GAUSSIAN && latentType != LatentType.NONE) {
            throw new IllegalArgumentException("the IWAE training objective needs a gaussian latent (reparameterized samples), not " + latentType.label()
                    + "; discrete models train on the ELBO (their IWAE log p(x) estimate works in evaluation)");
        }
        if (latentType == LatentType.NONE && (pretrainEpochs > 0 || freeBits > 0 || annealSteps > 0 || iwaeSamples > 1)) {
            throw new IllegalArgumentException("the language-model baseline has no latent variable: pretraining, annealing, free bits and IWAE do not apply");
        }
    }

    private static void positive(String name, Number v) {
        if (!(v.doubleValue() > 0)) {
            throw new IllegalArgumentException("illegal " + name + " " + v + ": must be positive");
        }
    }

    private static void nonNegative(String name, Number v) {
        if (!(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
            throw new IllegalArgumentException("illegal " + name + " " + v + ": must be a non-negative finite value");
        }
    }

    /** Whether this run trains the VAE (as opposed to the language-model baseline). */
    public boolean hasLatent() {
        return latentType != LatentType.NONE;
    }

    /** The model sizes for a vocabulary of {@code vocabSize} entries (and the backbone's dimension, for the pretrained encoder). */
    public Dims dims(int vocabSize) {
        return dims(vocabSize, pretrainedEncoder() ? io.latentnlp.models.runtime.PretrainedBackbone.dim(backbone) : 0);
    }

    /**
     * The model sizes for a vocabulary of {@code vocabSize} entries and, for the pretrained
     * encoder, a backbone of {@code features} dimensions.
     */
    public Dims dims(int vocabSize, int features) {
        Dims d = hasLatent() ? new Dims(vocabSize, embeddingDim, hiddenDim, latentDim, latentType, categories) : new Dims(vocabSize, embeddingDim, hiddenDim, 0);
        d = tieEmbeddings ? d.withTiedEmbeddings() : d;
        d = pretrainedEncoder() ? d.withPretrainedEncoder(features) : d;
        d = d.withDecoder(decoder);
        return bowWeight > 0 ? d.withBagOfWords() : d;
    }

    /** Whether the encoder is the pretrained family's. */
    public boolean pretrainedEncoder() {
        return PRETRAINED.equals(encoder);
    }

    /** The Gumbel-softmax temperature at a main-phase step (0-based). */
    public double tau(long mainPhaseStep) {
        return Math.max(tauMin, tau * Math.exp(-tauAnnealRate * mainPhaseStep));
    }

    /** Total epochs: pretraining plus main phase. */
    public int totalEpochs() {
        return pretrainEpochs + epochs;
    }

    /** The KL weight at a main-phase step (0-based), under linear annealing. */
    public double beta(long mainPhaseStep) {
        if (annealSteps == 0) {
            return 1.0;
        }
        return Math.min(1.0, betaStart + (1.0 - betaStart) * mainPhaseStep / annealSteps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.latentType = latentType;
        b.latentDim = latentDim;
        b.categories = categories;
        b.estimator = estimator;
        b.tau = tau;
        b.tauMin = tauMin;
        b.tauAnnealRate = tauAnnealRate;
        b.embeddingDim = embeddingDim;
        b.hiddenDim = hiddenDim;
        b.tieEmbeddings = tieEmbeddings;
        b.dropout = dropout;
        b.vocabSize = vocabSize;
        b.minCount = minCount;
        b.maxLength = maxLength;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.clipNorm = clipNorm;
        b.epochs = epochs;
        b.pretrainEpochs = pretrainEpochs;
        b.annealSteps = annealSteps;
        b.betaStart = betaStart;
        b.freeBits = freeBits;
        b.iwaeSamples = iwaeSamples;
        b.evalSamples = evalSamples;
        b.testSamples = testSamples;
        b.maxSentences = maxSentences;
        b.maxStepsPerEpoch = maxStepsPerEpoch;
        b.seed = seed;
        b.encoder = encoder;
        b.backbone = backbone;
        b.bowWeight = bowWeight;
        b.wordDropout = wordDropout;
        b.initDecoder = initDecoder;
        b.alignWeight = alignWeight;
        b.alignScale = alignScale;
        b.units = units;
        b.decoder = decoder;
        b.sampledSoftmax = sampledSoftmax;
        b.neighbors = neighbors;
        return b;
    }

    /** Builder with the defaults of the CLI. */
    public static final class Builder {
        private LatentType latentType = LatentType.GAUSSIAN;
        private int latentDim = 32;
        private int categories = 0;
        private CategoricalEstimator estimator = CategoricalEstimator.GUMBEL_SOFTMAX;
        private double tau = 0.9;
        private double tauMin = 0.5;
        private double tauAnnealRate = 0;
        private int embeddingDim = 256;
        private int hiddenDim = 256;
        private boolean tieEmbeddings = false;
        private double dropout = 0.3;
        private int vocabSize = 10000;
        private int minCount = 2;
        private int maxLength = 60;
        private int batchSize = 32;
        private double learningRate = 1e-3;
        private double clipNorm = 5.0;
        private int epochs = 10;
        private int pretrainEpochs = 0;
        private int annealSteps = 0;
        private double betaStart = 0.0;
        private double freeBits = 0.0;
        private int iwaeSamples = 1;
        private int evalSamples = 10;
        private int testSamples = 100;
        private int maxSentences = 0;
        private int maxStepsPerEpoch = 0;
        private long seed = 42;
        private String encoder = LSTM;
        private String backbone = null;
        private double bowWeight = 0;
        private double wordDropout = 0;
        private String initDecoder;
        private double alignWeight = 0;
        private double alignScale = 0.5;
        private String units = WORDS;
        private String decoder = LSTM_DECODER;
        private int sampledSoftmax = 0;
        private io.latentnlp.training.model.NeighborLoss.Settings neighbors;

        public Builder latentType(LatentType v) { latentType = v; return this; }
        public Builder latentDim(int v) { latentDim = v; return this; }
        public Builder categories(int v) { categories = v; return this; }
        public Builder estimator(CategoricalEstimator v) { estimator = v; return this; }
        public Builder tau(double v) { tau = v; return this; }
        public Builder tauMin(double v) { tauMin = v; return this; }
        public Builder tauAnnealRate(double v) { tauAnnealRate = v; return this; }
        public Builder embeddingDim(int v) { embeddingDim = v; return this; }
        public Builder hiddenDim(int v) { hiddenDim = v; return this; }
        public Builder tieEmbeddings(boolean v) { tieEmbeddings = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder minCount(int v) { minCount = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder clipNorm(double v) { clipNorm = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder pretrainEpochs(int v) { pretrainEpochs = v; return this; }
        public Builder annealSteps(int v) { annealSteps = v; return this; }
        public Builder betaStart(double v) { betaStart = v; return this; }
        public Builder freeBits(double v) { freeBits = v; return this; }
        public Builder iwaeSamples(int v) { iwaeSamples = v; return this; }
        public Builder evalSamples(int v) { evalSamples = v; return this; }
        public Builder testSamples(int v) { testSamples = v; return this; }
        public Builder maxSentences(int v) { maxSentences = v; return this; }
        public Builder maxStepsPerEpoch(int v) { maxStepsPerEpoch = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder encoder(String v) { encoder = v; return this; }
        public Builder backbone(String v) { backbone = v; return this; }
        public Builder bowWeight(double v) { bowWeight = v; return this; }
        public Builder wordDropout(double v) { wordDropout = v; return this; }
        public Builder units(String v) { units = v; return this; }
        public Builder initDecoder(String v) { initDecoder = v; return this; }
        public Builder alignWeight(double v) { alignWeight = v; return this; }
        public Builder alignScale(double v) { alignScale = v; return this; }
        public Builder decoder(String v) { decoder = v; return this; }
        public Builder sampledSoftmax(int v) { sampledSoftmax = v; return this; }
        public Builder neighbors(io.latentnlp.training.model.NeighborLoss.Settings v) { neighbors = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(latentType, latentDim, categories, estimator, tau, tauMin, tauAnnealRate, embeddingDim, hiddenDim, tieEmbeddings, dropout, vocabSize, minCount, maxLength, batchSize,
                    learningRate, clipNorm, epochs, pretrainEpochs, annealSteps, betaStart, freeBits, iwaeSamples, evalSamples, testSamples,
                    maxSentences, maxStepsPerEpoch, seed, encoder, backbone, bowWeight, wordDropout, units, initDecoder, alignWeight, alignScale, decoder, sampledSoftmax, neighbors);
        }
    }
}
