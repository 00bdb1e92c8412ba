package io.latentnlp.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.hash.Pca;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.CategoricalPosterior;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import io.latentnlp.training.corpus.EncodedCorpus;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.features.FeatureCache;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.NeighborLoss;
import io.latentnlp.training.model.VaeParameters;
import io.latentnlp.training.report.TrainingPlots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run from corpus files to a model bundle: read and encode the corpora, build the
 * vocabulary, train with {@link VaeTrainer}, pick the best epoch on validation, evaluate on test,
 * export the bundle (VAE only) and check that ONNX Runtime reproduces DJL on it.
 *
 * <p>The run directory holds {@code config.json}, {@code vocab.txt}, {@code metrics.jsonl} (one
 * JSON object per epoch), {@code checkpoint/}, {@code best-params.ndl} and {@code summary.json}.
 */
public final class TrainingRun {

    /**
     * Corpus files; {@code test} may be null.
     *
     * @param featureCache where the pretrained encoder's backbone embeddings are cached (null =
     *     RUN/features); runs on the same corpus can share one
     */
    public record Inputs(Path train, Path valid, Path test, Path featureCache) {
        public Inputs(Path train, Path valid, Path test) {
            this(train, valid, test, null);
        }
    }

    /**
     * What a run produced.
     *
     * @param bundle the exported bundle, null for the language-model baseline
     * @param test test metrics, null without a test file
     */
    public record Result(Path runDir, Path bundle, EvalMetrics valid, EvalMetrics test, Map<String, Object> summary) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();

    private TrainingRun() {}

    /**
     * Runs (or resumes) training.
     *
     * @param bundleOut where to write the bundle (null = {@code runDir/NAME.vae})
     * @param commandLine recorded in the manifest's provenance
     * @param log progress and diagnostics
     */
    public static Result run(TrainConfig config, Inputs inputs, Path runDir, String name, Path bundleOut, boolean resume, String commandLine,
            PrintStream log) throws IOException {
        Files.createDirectories(runDir);
        Path configFile = runDir.resolve("config.json");
        if (resume) {
            if (!Files.exists(configFile)) {
                throw new IllegalArgumentException("--resume: " + runDir + " holds no run (no config.json); start without --resume");
            }
            TrainConfig saved = JSON.readValue(configFile.toFile(), TrainConfig.class);
            if (!saved.equals(config)) {
                throw new IllegalArgumentException("--resume: " + runDir + " was started with different settings:\n  saved: " + saved + "\n  given: " + config
                        + "\nResume with the same options, or use a new --run-dir.");
            }
        } else if (Checkpoint.exists(runDir)) {
            throw new IllegalArgumentException(runDir + " already holds a training run; pass --resume to continue it or choose another --run-dir");
        }
        TokenNormalizer normalizer = TokenNormalizer.defaults();
        Corpus trainCorpus = CorpusReader.read(inputs.train());
        if (config.maxSentences() > 0 && trainCorpus.size() > config.maxSentences()) {
            trainCorpus = new Corpus(trainCorpus.source(), trainCorpus.sentences().subList(0, config.maxSentences()), trainCorpus.lines(), trainCorpus.blankLines());
        }
        Path subwordsFile = runDir.resolve(Subwords.FILE);
        byte[] subwordsJson = !config.wordPieces() ? null
                : resume ? Files.readAllBytes(subwordsFile) : cutWordPieces(trainCorpus, normalizer, config, log);
        Subwords subwords = subwordsJson == null ? null : Subwords.fromJson(subwordsJson, subwordsFile.toString());
        Vocabulary vocab = resume ? Vocabulary.read(runDir.resolve(ModelBundle.VOCAB))
                : subwords != null ? subwords.vocabulary() : buildVocabulary(trainCorpus, normalizer, config);
        if (!resume) {
            JSON.writeValue(configFile.toFile(), config);
            vocab.write(runDir.resolve(ModelBundle.VOCAB));
            if (subwordsJson != null) {
                Files.write(subwordsFile, subwordsJson);
            }
            Files.deleteIfExists(runDir.resolve("metrics.jsonl"));
        }
        SentenceEncoder encoder = new SentenceEncoder(normalizer, vocab, config.maxLength(), subwords);
        EncodedCorpus train = EncodedCorpus.of(trainCorpus, encoder);
        EncodedCorpus valid = EncodedCorpus.of(CorpusReader.read(inputs.valid()), encoder);
        EncodedCorpus test = inputs.test() == null ? null : EncodedCorpus.of(CorpusReader.read(inputs.test()), encoder);
        log.println("vocabulary: " + vocab.size() + " entries (max " + config.vocabSize() + ", min count " + config.minCount() + ")");
        log.println("train " + train.summary());
        log.println("valid " + valid.summary());
        if (test != null) {
            log.println("test  " + test.summary());
        }
        if (config.hasLatent() && config.annealSteps() > 0) {
            // --anneal-steps counts steps, not epochs: say what it means on this corpus.
            int stepsPerEpoch = (train.ids().size() + config.batchSize() - 1) / config.batchSize();
            int perEpoch = config.maxStepsPerEpoch() > 0 ? Math.min(config.maxStepsPerEpoch(), stepsPerEpoch) : stepsPerEpoch;
            log.printf("KL annealing: beta %.2f -> 1 over %d steps = %.2f epochs of this corpus (%d steps per epoch at batch %d)%n", config.betaStart(),
                    config.annealSteps(), config.annealSteps() / (double) perEpoch, perEpoch, config.batchSize());
        }
        PretrainedBackbone.Spec backboneSpec = null;
        FeatureTable features = null;
        if (config.pretrainedEncoder()) {
            backboneSpec = PretrainedBackbone.spec(config.backbone());
            features = new FeatureTable(backboneSpec.dim());
            Path cache = inputs.featureCache() != null ? inputs.featureCache() : runDir.resolve("features");
            log.println("encoder: frozen " + backboneSpec.name() + " (" + backboneSpec.dim() + " dimensions, sha256 " + backboneSpec.sha256().substring(0, 12)
                    + "...) with a trained head; embeddings cached in " + cache);
            try (PretrainedBackbone backbone = PretrainedBackbone.open(backboneSpec, 0)) {
                Map<String, EncodedCorpus> splits = new LinkedHashMap<>();
                splits.put("train", train);
                splits.put("valid", valid);
                if (test != null) {
                    splits.put("test", test);
                }
                for (Map.Entry<String, EncodedCorpus> e : splits.entrySet()) {
                    features.putAll(e.getValue().ids(), FeatureCache.embed(backbone, e.getValue().texts(), cache, e.getKey(), log));
                }
            }
        }
        Dims dims = config.dims(vocab.size(), backboneSpec == null ? 0 : backboneSpec.dim());
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, config.seed())) {
            log.printf("model: %s, %,d parameters, engine %s %s%n", config.hasLatent() ? describe(dims) : "LSTM language model",
                    params.count(), Engine.getInstance().getEngineName(), Engine.getInstance().getVersion());
            VaeTrainer trainer = new VaeTrainer(config, params, features, runDir, resume, log);
            if (config.initDecoder() != null) {
                trainer.initDecoder(DecoderInit.read(Path.of(config.initDecoder()), vocab, dims));
            }
            if (config.alignWeight() > 0) {
                trainer.network().align(alignmentTargets(features, train.ids(), dims.latent(), config.alignScale(), log), config.alignWeight());
            }
            if (config.neighbors() != null) {
                trainer.network().neighbors(new NeighborLoss(config.neighbors(), train.ids().stream().map(features::row).toList()));
                log.printf("neighbor loss: weight %s, %d sentences per step, temperatures %s (backbone) and %s (code), scale %s, quantization %s%n",
                        config.neighbors().weight(), config.neighbors().batch(), config.neighbors().targetTemperature(),
                        config.neighbors().codeTemperature(), config.neighbors().scale(), config.neighbors().quantization());
            }
            Path metricsFile = runDir.resolve("metrics.jsonl");
            trainer.train(train.ids(), valid.ids(), report -> appendJsonLine(metricsFile, report.toMap()));
            boolean best = trainer.restoreBest();
            log.println(best ? "using the parameters of epoch " + trainer.state().bestEpoch() + " (best validation IW-NLL)" : "using the final parameters");
            DjlScorer scorer = new DjlScorer(trainer.network(), root);
            EvalMetrics validMetrics = best && trainer.bestValidMetrics() != null ? trainer.bestValidMetrics() : trainer.validate(valid.ids());
            EvalMetrics testMetrics = null;
            if (test != null) {
                ProgressBar bar = new ProgressBar("  test (K=" + config.testSamples() + ")", test.ids().size(), log);
                testMetrics = VaeEvaluator.evaluate(scorer, test.ids(), new VaeEvaluator.Settings(config.testSamples(), 64, config.seed(), 0.01),
                        done -> bar.update(done, ""));
                bar.finish("");
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            validMetrics.toMap().forEach((k, v) -> metrics.put("valid." + k, v));
            if (testMetrics != null) {
                testMetrics.toMap().forEach((k, v) -> metrics.put("test." + k, v));
            }
            metrics.put("train.seconds", trainer.state().trainSeconds());
            metrics.put("train.best_epoch", trainer.state().bestEpoch());
            Map<String, Object> provenance = provenance(config, inputs, train, commandLine);
            Path bundlePath = null;
            if (config.hasLatent()) {
                bundlePath = bundleOut != null ? bundleOut : runDir.resolve(name + ".vae");
                ModelBundle bundle = BundleExport.write(bundlePath, name, dims, params.toFloatArrays(), vocab, normalizer, config.maxLength(),
                        hashSpec(dims, scorer, train.ids(), log), provenance, metrics, backboneSpec, subwordsJson);
                double gap = exportGap(bundle, scorer, valid);
                metrics.put("export.max_abs_diff", gap);
                log.printf("bundle written: %s (ONNX Runtime vs DJL on validation sentences: max |%s diff| %.2e)%n", bundlePath,
                        dims.type() == LatentType.GAUSSIAN ? "mean" : "logit", gap);
                if (gap > 1e-3) {
                    throw new IllegalStateException("exported bundle " + bundlePath + " disagrees with the DJL model (max |diff| " + gap + "); this is a bug");
                }
            }
            writePlots(runDir, name, bundlePath, inputs.test() != null ? inputs.test() : inputs.valid(), log);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("name", name);
            summary.put("config", config);
            summary.put("provenance", provenance);
            summary.put("corpora", test == null ? List.of(train.stats(), valid.stats()) : List.of(train.stats(), valid.stats(), test.stats()));
            summary.put("metrics", metrics);
            summary.put("bundle", bundlePath == null ? null : bundlePath.toString());
            JSON.writeValue(runDir.resolve("summary.json").toFile(), summary);
            return new Result(runDir, bundlePath, validMetrics, testMetrics, summary);
        }
    }

    /**
     * RUN/plots/NAME-{nats,kl-mi,au}.png from the run's metrics and, for a VAE, NAME-pca.png: the
     * latent codes of {@code corpus} (test, else validation) projected on two principal components.
     * A plot that fails is reported and skipped: the trained model matters more.
     */
    private static void writePlots(Path runDir, String name, Path bundle, Path corpus, PrintStream log) {
        try {
            Path dir = Files.createDirectories(runDir.resolve("plots"));
            TrainingPlots.curves(runDir, dir.resolve(name).toString());
            if (bundle != null) {
                TrainingPlots.projection(ModelBundle.load(bundle), corpus, dir.resolve(name + "-pca.png"));
            }
            log.println("plots written: " + dir);
        } catch (IOException | RuntimeException e) {
            log.println("warning: plots not written: " + e.getMessage());
        }
    }

    /**
     * The alignment loss's targets: each training sentence's backbone embedding projected on the
     * top {@code d} principal directions of the training embeddings, times {@code scale} over the
     * root of their mean variance (so the targets' mean square per dimension is scale^2).
     */
    static FeatureTable alignmentTargets(FeatureTable features, List<int[]> train, int d, double scale, PrintStream log) {
        int f = features.dim();
        float[] flat = features.rows(train);
        float[][] x = new float[train.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = java.util.Arrays.copyOfRange(flat, i * f, (i + 1) * f);
        }
        Pca pca = Pca.fit(x, d);
        double meanVariance = java.util.Arrays.stream(pca.variances()).average().orElseThrow();
        double norm = scale / Math.sqrt(meanVariance);
        float[][] targets = new float[x.length][d];
        for (int i = 0; i < x.length; i++) {
            double[] p = pca.project(x[i]);
            for (int j = 0; j < d; j++) {
                targets[i][j] = (float) (p[j] * norm);
            }
        }
        FeatureTable out = new FeatureTable(d);
        out.putAll(train, targets);
        log.printf("alignment: posterior means pulled towards %d principal components of the backbone's embeddings (variance %.4f down to %.4f),"
                + " scaled to %.2f per dimension%n", d, pca.variances()[0], pca.variances()[d - 1], scale);
        return out;
    }

    /** Counts normalized training tokens and builds the vocabulary. */
    static Vocabulary buildVocabulary(Corpus corpus, TokenNormalizer normalizer, TrainConfig config) {
        Map<String, Long> counts = new HashMap<>();
        for (CorpusSentence s : corpus.sentences()) {
            for (String t : normalizer.normalize(s.tokens())) {
                counts.merge(t, 1L, Long::sum);
            }
        }
        return Vocabulary.build(counts, config.vocabSize(), config.minCount());
    }

    /**
     * The segmenter of an open vocabulary for this corpus: all-MiniLM-L6-v2's WordPiece vocabulary
     * cut to the {@code vocabSize - 4} pieces the corpus's normalized tokens use most, every
     * character they use kept (so every word of those characters decomposes).
     */
    static byte[] cutWordPieces(Corpus corpus, TokenNormalizer normalizer, TrainConfig config, PrintStream log) {
        try (Subwords full = Subwords.ofBackbone(PretrainedBackbone.MINILM)) {
            Map<String, Long> counts = new HashMap<>();
            for (CorpusSentence s : corpus.sentences()) {
                for (String p : full.segment(normalizer.normalize(s.tokens())).pieces()) {
                    counts.merge(p, 1L, Long::sum);
                }
            }
            int specials = 4;
            List<String> pieces = Subwords.choose(counts, config.vocabSize() - specials);
            log.printf("vocabulary: word pieces of %s, %,d of the %,d the corpus uses (%,d in the full vocabulary)%n", PretrainedBackbone.MINILM, pieces.size(),
                    counts.size(), full.pieces().size());
            return full.restrict(pieces);
        }
    }

    private static String describe(Dims dims) {
        String encoder = dims.pretrained() ? " (pretrained encoder head over " + dims.features() + " features)" : "";
        String bow = dims.bow() ? " + bag-of-words head" : "";
        return describeLatent(dims) + encoder + bow;
    }

    private static String describeLatent(Dims dims) {
        return switch (dims.type()) {
            case GAUSSIAN -> "Gaussian VAE d=" + dims.latent();
            case BERNOULLI -> "Bernoulli VAE, " + dims.latent() + " bits";
            case CATEGORICAL -> "categorical VAE, " + dims.latent() + " groups of " + dims.categories();
            case NONE -> "LSTM language model";
        };
    }

    /**
     * The bundle's hash spec: median thresholds of the training posteriors' means (Gaussian), the
     * posterior mode (Bernoulli), packed argmax classes (categorical with K a power of two); none
     * for other K.
     */
    private static Manifest.Hash hashSpec(Dims dims, DjlScorer scorer, List<int[]> train, PrintStream log) {
        if (dims.type() == LatentType.GAUSSIAN) {
            Posterior[] q = scorer.encode(train);
            float[][] means = new float[q.length][];
            for (int i = 0; i < means.length; i++) {
                means[i] = ((GaussianPosterior) q[i]).mean();
            }
            return BundleExport.medianThresholds(means);
        }
        try {
            return LatentHasher.discreteSpec(dims.manifestLatent());
        } catch (IllegalArgumentException e) {
            log.println("no hash spec in the bundle: " + e.getMessage());
            return null;
        }
    }

    /** The posterior's location parameters: the mean (Gaussian) or the logits (discrete). */
    static float[] location(Posterior q) {
        if (q instanceof GaussianPosterior g) {
            return g.mean();
        }
        return q instanceof BernoulliPosterior b ? b.logits() : ((CategoricalPosterior) q).logits();
    }

    /** Largest |difference| of the posteriors' location parameters between ONNX Runtime and DJL on up to 64 sentences. */
    static double exportGap(ModelBundle bundle, DjlScorer djl, EncodedCorpus corpus) {
        int n = Math.min(64, corpus.ids().size());
        Posterior[] ref = djl.encode(corpus.ids().subList(0, n));
        double gap = 0;
        try (SentenceVae ort = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            Posterior[] got = ort.encodeSentences(corpus.sentences().subList(0, n));
            for (int i = 0; i < ref.length; i++) {
                float[] a = location(ref[i]);
                float[] b = location(got[i]);
                for (int k = 0; k < a.length; k++) {
                    gap = Math.max(gap, Math.abs(a[k] - b[k]));
                }
            }
        }
        return gap;
    }

    private static Map<String, Object> provenance(TrainConfig config, Inputs inputs, EncodedCorpus train, String commandLine) throws IOException {
        Map<String, Object> p = corpusProvenance(inputs.train(), inputs.valid(), train, commandLine, config.seed());
        p.put("config", config);
        p.putAll(environment());
        return p;
    }

    /** The provenance every trained bundle records first: corpus files (training corpus's sha256), sentence count, command line and seed. */
    static Map<String, Object> corpusProvenance(Path trainFile, Path validFile, EncodedCorpus train, String commandLine, long seed) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("corpus", trainFile.getFileName().toString());
        p.put("corpus_sha256", ModelBundle.sha256(Files.readAllBytes(trainFile)));
        p.put("valid_corpus", validFile.getFileName().toString());
        p.put("train_sentences", train.ids().size());
        p.put("command", commandLine);
        p.put("seed", seed);
        return p;
    }

    /** The software a model was made with and when: DJL, engine and Java versions, creation time (provenance). */
    static Map<String, Object> environment() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("djl_version", Engine.getDjlVersion());
        p.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        p.put("java_version", System.getProperty("java.version"));
        p.put("created", Instant.now().toString());
        return p;
    }

    static void appendJsonLine(Path file, Map<String, Object> record) {
        try {
            Files.writeString(file, JSON_LINE.writeValueAsString(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + file, e);
        }
    }
}
