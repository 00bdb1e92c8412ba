package io.latentnlp.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.Itq;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.export.OnnxExporter;
import io.latentnlp.training.features.FeatureCache;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Encoder distillation from corpus files to a student bundle: a pretrained-family teacher's
 * Gaussian posterior q_T(z|x) is computed once per sentence (ONNX Runtime over the backbone, or
 * its cached embeddings through the head) and kept in {@code RUN/teacher/}; a student LSTM encoder
 * reading the teacher's own units learns it ({@link DistillTrainer}); the best epoch on validation
 * is exported as the encoder of a bundle that keeps every other file of the teacher, its decoders
 * included, byte for byte ({@link BundleExport#withLstmEncoder}). The student's hash spec is ITQ
 * refitted on its posterior means of the training sentences (as {@code rehash} fits it) or the
 * teacher's own; agreement with the teacher's bits is measured on validation (and test).
 *
 * <p>The run directory holds {@code distill-config.json}, {@code metrics.jsonl} (epoch 0 = the
 * untrained student), {@code checkpoint/}, {@code best-params.ndl}, {@code teacher/} and {@code
 * summary.json}. Not thread-safe.
 */
public final class DistillRun {

    /**
     * Corpus files ({@code test} may be null) and where the teacher's backbone embeddings are
     * cached (null = none: the backbone embeds every sentence once per run).
     */
    public record Inputs(Path train, Path valid, Path test, Path featureCache) {}

    /**
     * What a run produced.
     *
     * @param initial the untrained student on validation (null after a resume)
     * @param valid the exported (best) student on validation
     * @param metrics what the manifest records: validation and agreement figures
     */
    public record Result(Path runDir, Path bundle, DistillTrainer.Validation initial, DistillTrainer.Validation valid, Map<String, Object> metrics) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String CONFIG = "distill-config.json";
    private static final int ENCODE_BATCH = 256;
    private static final int DISTANCE_PAIRS = 20_000;

    private DistillRun() {}

    /**
     * Runs (or resumes) a distillation.
     *
     * @param teacherRef a shipped model name or a bundle path; the teacher must be of the pretrained
     *     family with a Gaussian latent
     * @param bundleOut where to write the student (null = {@code runDir/NAME.vae})
     * @param commandLine recorded in the manifest's provenance
     * @param log progress and diagnostics
     */
    public static Result run(DistillConfig config, String teacherRef, Inputs inputs, Path runDir, String name, Path bundleOut, boolean resume,
            String commandLine, PrintStream log) throws IOException {
        return run(config, teacherRef, inputs, runDir, name, bundleOut, false, resume, commandLine, log);
    }

    /**
     * Runs (or resumes) a distillation; with {@code shareTeacherFiles} the student bundle names the
     * teacher as its base and holds only its own encoder, manifest and vocabulary (it then loads
     * only beside this very teacher: {@link ModelBundle#write(Path, Manifest, io.latentnlp.models.text.Vocabulary, Map, ModelBundle, String)}).
     */
    public static Result run(DistillConfig config, String teacherRef, Inputs inputs, Path runDir, String name, Path bundleOut, boolean shareTeacherFiles,
            boolean resume, String commandLine, PrintStream log) throws IOException {
        ModelBundle teacher = ShippedModels.resolve(teacherRef);
        Manifest tm = teacher.manifest();
        if (tm.latent().type() != LatentType.GAUSSIAN) {
            throw new IllegalArgumentException("teacher " + teacher.source() + " has a " + tm.latent().type().label()
                    + " latent; distillation matches Gaussian posteriors (a pretrained-family Gaussian bundle, e.g. " + ShippedModels.DEFAULT + ")");
        }
        if (!Manifest.Encoder.PRETRAINED.equals(tm.encoderFamily())) {
            throw new IllegalArgumentException("teacher " + teacher.source() + " already has an LSTM encoder (family '" + tm.encoderFamily()
                    + "'); distill a pretrained-family bundle, e.g. " + ShippedModels.DEFAULT);
        }
        String teacherSha = contentSha256(teacher);
        Files.createDirectories(runDir);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("config", config);
        settings.put("teacher_sha256", teacherSha);
        Path configFile = runDir.resolve(CONFIG);
        if (resume) {
            if (!Files.exists(configFile)) {
                throw new IllegalArgumentException("--resume: " + runDir + " holds no distillation (no " + CONFIG + "); start without --resume");
            }
            Map<?, ?> saved = JSON.readValue(configFile.toFile(), Map.class);
            Map<?, ?> given = JSON.readValue(JSON.writeValueAsBytes(settings), Map.class);
            if (!saved.equals(given)) {
                throw new IllegalArgumentException("--resume: " + runDir + " was started with different settings or another teacher:\n  saved: " + saved
                        + "\n  given: " + given + "\nResume with the same options and teacher, or use a new --run-dir.");
            }
        } else if (Checkpoint.exists(runDir) || Files.exists(configFile)) {
            throw new IllegalArgumentException(runDir + " already holds a distillation; pass --resume to continue it or choose another --run-dir");
        }
        Corpus trainCorpus = CorpusReader.read(inputs.train());
        if (config.maxSentences() > 0 && trainCorpus.size() > config.maxSentences()) {
            trainCorpus = new Corpus(trainCorpus.source(), trainCorpus.sentences().subList(0, config.maxSentences()), trainCorpus.lines(), trainCorpus.blankLines());
        }
        SentenceEncoder encoder = teacher.sentenceEncoder();
        Map<String, EncodedCorpus> splits = new LinkedHashMap<>();
        splits.put("train", EncodedCorpus.of(trainCorpus, encoder));
        splits.put("valid", EncodedCorpus.of(CorpusReader.read(inputs.valid()), encoder));
        if (inputs.test() != null) {
            splits.put("test", EncodedCorpus.of(CorpusReader.read(inputs.test()), encoder));
        }
        if (!resume) {
            JSON.writeValue(configFile.toFile(), settings);
            Files.deleteIfExists(runDir.resolve("metrics.jsonl"));
        }
        log.println("teacher: " + tm.name() + " (" + teacher.source() + ", sha256 " + teacherSha.substring(0, 12) + "..., encoder " + tm.encoderFamily()
                + (tm.encoder().backbone() != null ? " " + tm.encoder().backbone().name() : "") + ")");
        splits.forEach((k, v) -> log.println(k + " " + v.summary()));

        int d = tm.latent().dim();
        FeatureTable teacherTable = new FeatureTable(2 * d);
        Map<String, Posterior[]> teacherQ = teacherPosteriors(teacher, teacherSha, splits, runDir.resolve("teacher"), inputs.featureCache(), log);
        teacherQ.forEach((k, q) -> teacherTable.putAll(splits.get(k).ids(), rows(q)));
        EncodedCorpus train = splits.get("train");
        EncodedCorpus valid = splits.get("valid");

        Dims dims = new Dims(teacher.vocabulary().size(), tm.architecture().embeddingDim(), tm.architecture().hiddenDim(), d, LatentType.GAUSSIAN, 0,
                tm.architecture().tiedEmbeddings(), 0, false, tm.architecture().decoderFamily());
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, config.seed())) {
            long encoderParams = params.all().entrySet().stream().filter(e -> e.getKey().startsWith("enc.")).mapToLong(e -> e.getValue().getShape().size()).sum();
            log.printf("student: LSTM encoder, embedding %d (initialized: %s), LSTM %d, %d latent dimensions, %,d parameters; loss %s%n", dims.embedding(),
                    config.initEmbedding(), dims.hidden(), d, encoderParams, config.loss());
            if (config.initFrom() != null) {
                if (!Checkpoint.restoreBest(Path.of(config.initFrom()), params)) {
                    throw new IllegalArgumentException("--init-from " + config.initFrom() + ": no finished distillation there (no best parameters)");
                }
                log.println("student starts from the best student of " + config.initFrom());
            }
            // The teacher's decoder, frozen: the ELBO term reads it, nothing updates it.
            Map<String, float[]> teacherDecoder = OnnxExporter.decoderParameters(teacher.file(ModelBundle.DECODER), dims);
            teacherDecoder.forEach((k, v) -> params.get(k).set(v));
            params.all().forEach((k, v) -> v.setRequiresGradient(k.startsWith("enc.")));
            if (config.initEmbedding().equals(DistillConfig.INIT_TEACHER) && config.initFrom() == null) {
                if (!teacherDecoder.containsKey("dec.emb")) {
                    throw new IllegalArgumentException("--init-embedding teacher: the teacher's bag-of-words decoder has no embedding; use random");
                }
                // Same units, same width: the teacher's decoder already learned an embedding of every piece (overwritten by a resumed checkpoint).
                params.get("enc.emb").set(teacherDecoder.get("dec.emb"));
            }
            DistillTrainer trainer = new DistillTrainer(config, params, teacherTable, runDir, resume, log);
            Path metricsFile = runDir.resolve("metrics.jsonl");
            DistillTrainer.Validation[] initial = new DistillTrainer.Validation[1];
            trainer.train(train.ids(), valid.ids(), report -> {
                if (report.epoch() == 0) {
                    initial[0] = report.valid();
                }
                TrainingRun.appendJsonLine(metricsFile, report.toMap());
            });
            boolean best = trainer.restoreBest();
            log.println(best ? "using the parameters of epoch " + trainer.state().bestEpoch() + " (best validation loss)" : "using the final parameters");
            DistillTrainer.Validation v = trainer.validate(valid.ids());
            DjlScorer scorer = new DjlScorer(trainer.network(), root);

            Map<String, Posterior[]> studentQ = new LinkedHashMap<>();
            for (Map.Entry<String, EncodedCorpus> e : splits.entrySet()) {
                studentQ.put(e.getKey(), encode(scorer, e.getValue().ids()));
            }
            Manifest.Hash hash = hashSpec(config, tm, means(studentQ.get("train")), log);

            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("distill.loss", config.loss());
            if (initial[0] != null) {
                initial[0].toMap().forEach((k, x) -> metrics.put("distill.initial_valid." + k, x));
            }
            v.toMap().forEach((k, x) -> metrics.put("distill.valid." + k, x));
            metrics.put("distill.best_epoch", trainer.state().bestEpoch());
            metrics.put("distill.seconds", trainer.state().trainSeconds());
            for (String split : splits.keySet()) {
                if (!split.equals("train")) {
                    agreement(tm.hash(), hash, teacherQ.get(split), studentQ.get(split), config.seed()).forEach((k, x) -> metrics.put(split + "." + k, x));
                }
            }
            Map<String, Object> provenance = provenance(config, teacherRef, teacher, teacherSha, inputs, train, commandLine);
            Path bundlePath = bundleOut != null ? bundleOut : runDir.resolve(name + ".vae");
            ModelBundle bundle = BundleExport.withLstmEncoder(bundlePath, teacher, name, dims, params.toFloatArrays(), hash, provenance, metrics,
                    shareTeacherFiles ? ModelBundle.baseReference(teacherRef == null || teacherRef.isBlank() ? ShippedModels.DEFAULT : teacherRef, bundlePath) : null);
            if (!bundle.sharedFiles().isEmpty()) {
                log.println("the student reads " + String.join(", ", bundle.sharedFiles()) + " from its base " + bundle.manifest().base());
            }
            double gap = TrainingRun.exportGap(bundle, scorer, valid);
            log.printf("bundle written: %s (ONNX Runtime vs DJL on validation sentences: max |mean diff| %.2e)%n", bundlePath, gap);
            if (gap > 1e-3) {
                throw new IllegalStateException("exported student " + bundlePath + " disagrees with the DJL model (max |diff| " + gap + "); this is a bug");
            }
            metrics.put("export.max_abs_diff", gap);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("name", name);
            summary.put("provenance", provenance);
            summary.put("corpora", splits.values().stream().map(EncodedCorpus::stats).toList());
            summary.put("metrics", metrics);
            summary.put("bundle", bundlePath.toString());
            JSON.writeValue(runDir.resolve("summary.json").toFile(), summary);
            return new Result(runDir, bundlePath, initial[0], v, metrics);
        }
    }

    /**
     * The teacher's posterior of every sentence of every split, from {@code cacheDir} when a file
     * for this teacher and these texts is there, else computed once (the backbone's embeddings
     * through {@code featureCache}) and written.
     */
    private static Map<String, Posterior[]> teacherPosteriors(ModelBundle teacher, String teacherSha, Map<String, EncodedCorpus> splits, Path cacheDir,
            Path featureCache, PrintStream log) {
        int d = teacher.manifest().latent().dim();
        Map<String, Posterior[]> out = new LinkedHashMap<>();
        SentenceVae[] vae = new SentenceVae[1];
        try {
            for (Map.Entry<String, EncodedCorpus> e : splits.entrySet()) {
                List<EncodedSentence> sentences = e.getValue().sentences();
                StringBuilder key = new StringBuilder(teacherSha).append('\n');
                e.getValue().texts().forEach(t -> key.append(t).append('\n'));
                Path file = cacheDir.resolve(e.getKey() + "-" + ModelBundle.sha256(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 24) + ".f32");
                boolean cached = Files.exists(file);
                float[][] rows = FeatureCache.cached(file, sentences.size(), 2 * d, () -> {
                    if (vae[0] == null) {
                        vae[0] = SentenceVae.open(teacher, new SentenceVae.Options(0, ENCODE_BATCH));
                    }
                    return rows(FeatureCache.encode(vae[0], sentences, featureCache, e.getKey(), log));
                });
                log.println("  " + e.getKey() + ": " + rows.length + " teacher posteriors " + (cached ? "from " : "cached in ") + file);
                Posterior[] q = new Posterior[rows.length];
                for (int i = 0; i < q.length; i++) {
                    q[i] = new GaussianPosterior(java.util.Arrays.copyOfRange(rows[i], 0, d), java.util.Arrays.copyOfRange(rows[i], d, 2 * d));
                }
                out.put(e.getKey(), q);
            }
        } finally {
            if (vae[0] != null) {
                vae[0].close();
            }
        }
        return out;
    }

    /** Gaussian posteriors as rows [mean | logvar]. */
    private static float[][] rows(Posterior[] q) {
        float[][] out = new float[q.length][];
        for (int i = 0; i < q.length; i++) {
            GaussianPosterior g = (GaussianPosterior) q[i];
            int d = g.mean().length;
            out[i] = new float[2 * d];
            System.arraycopy(g.mean(), 0, out[i], 0, d);
            System.arraycopy(g.logvar(), 0, out[i], d, d);
        }
        return out;
    }

    private static float[][] means(Posterior[] q) {
        float[][] out = new float[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = ((GaussianPosterior) q[i]).mean();
        }
        return out;
    }

    /** The student's posteriors in length-sorted batches (little padding), in input order. */
    private static Posterior[] encode(DjlScorer scorer, List<int[]> ids) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        Posterior[] out = new Posterior[ids.size()];
        for (int from = 0; from < order.length; from += ENCODE_BATCH) {
            int to = Math.min(order.length, from + ENCODE_BATCH);
            List<int[]> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(ids.get(order[i]));
            }
            Posterior[] q = scorer.encode(batch);
            for (int i = from; i < to; i++) {
                out[order[i]] = q[i - from];
            }
        }
        return out;
    }

    /** ITQ over the student's training means (as {@code rehash} fits it, at the teacher's bit count), or the teacher's spec. */
    private static Manifest.Hash hashSpec(DistillConfig config, Manifest teacher, float[][] trainMeans, PrintStream log) {
        if (config.hash().equals(DistillConfig.HASH_TEACHER)) {
            if (teacher.hash() == null) {
                throw new IllegalArgumentException("--hash teacher: the teacher " + teacher.name() + " has no hash spec; use --hash itq");
            }
            return teacher.hash();
        }
        int bits = teacher.hash() != null ? teacher.hash().bits() : teacher.latent().dim();
        log.printf("fitting ITQ: %d sentences, %d -> %d bits, %d iterations%n", trainMeans.length, teacher.latent().dim(), bits, config.hashIterations());
        return Itq.fit(trainMeans, bits, config.hashIterations(), config.seed()).spec();
    }

    /**
     * How the student's codes agree with the teacher's on one split: {@code agree.teacher_spec_bits},
     * the share of equal bits when the teacher's hash spec binarizes the student's means (what an
     * index filled by the teacher would see); {@code agree.own_bits}, the same for the student's own
     * spec (bits of two separately fitted ITQ rotations need not line up, so this can be low while
     * neighbourhoods agree); {@code agree.distance_spearman}, the rank correlation of Hamming distances
     * under the teacher's codes and the student's own over random sentence pairs (seeded); and the
     * mean KL(teacher || student) of the split.
     */
    static Map<String, Object> agreement(Manifest.Hash teacherSpec, Manifest.Hash studentSpec, Posterior[] teacher, Posterior[] student, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = teacher.length;
        double kl = 0;
        for (int i = 0; i < n; i++) {
            GaussianPosterior t = (GaussianPosterior) teacher[i];
            GaussianPosterior s = (GaussianPosterior) student[i];
            for (int k = 0; k < t.mean().length; k++) {
                double diff = t.mean()[k] - s.mean()[k];
                kl += 0.5 * (s.logvar()[k] - t.logvar()[k] + (Math.exp(t.logvar()[k]) + diff * diff) / Math.exp(s.logvar()[k]) - 1);
            }
        }
        m.put("distill.kl", kl / n);
        if (teacherSpec == null) {
            return m;
        }
        SemanticHash[] tc = new SemanticHash[n];
        SemanticHash[] sc = new SemanticHash[n];
        double sameTeacherSpec = 0;
        double sameOwn = 0;
        for (int i = 0; i < n; i++) {
            tc[i] = LatentHasher.hash(teacherSpec, teacher[i]);
            sc[i] = LatentHasher.hash(studentSpec, student[i]);
            sameTeacherSpec += 1 - tc[i].hamming(LatentHasher.hash(teacherSpec, student[i])) / (double) tc[i].bits();
            if (sc[i].bits() == tc[i].bits()) {
                sameOwn += 1 - tc[i].hamming(sc[i]) / (double) tc[i].bits();
            }
        }
        m.put("agree.teacher_spec_bits", sameTeacherSpec / n);
        m.put("agree.own_bits", sameOwn / n);
        if (n >= 2) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] x = new double[DISTANCE_PAIRS];
            double[] y = new double[DISTANCE_PAIRS];
            for (int p = 0; p < DISTANCE_PAIRS; p++) {
                int a = rng.nextInt(n);
                int b = (a + 1 + rng.nextInt(n - 1)) % n;
                x[p] = tc[a].hamming(tc[b]);
                y[p] = sc[a].hamming(sc[b]);
            }
            m.put("agree.distance_spearman", io.latentnlp.models.hash.CodeStructure.spearman(x, y));
        }
        return m;
    }

    /**
     * An identity of a bundle's content that does not depend on its packaging (zip, directory,
     * classpath): the sha256 over its manifest's per-file checksums, one {@code name sha256} line
     * per file in name order.
     */
    static String contentSha256(ModelBundle bundle) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(bundle.manifest().files()).forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return ModelBundle.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> provenance(DistillConfig config, String teacherRef, ModelBundle teacher, String teacherSha, Inputs inputs,
            EncodedCorpus train, String commandLine) throws IOException {
        Map<String, Object> p = TrainingRun.corpusProvenance(inputs.train(), inputs.valid(), train, commandLine, config.seed());
        Map<String, Object> distill = new LinkedHashMap<>();
        distill.put("teacher", teacher.manifest().name());
        distill.put("teacher_ref", ShippedModels.identity(teacherRef));
        distill.put("teacher_sha256", teacherSha);
        distill.put("teacher_sha256_of", "the teacher's file checksums (one 'name sha256' line per file, sorted)");
        distill.put("teacher_encoder", teacher.manifest().encoder());
        distill.put("teacher_command", teacher.manifest().provenance() == null ? null : teacher.manifest().provenance().get("command"));
        distill.put("decoder", "the teacher's " + ModelBundle.DECODER + " and " + ModelBundle.DECODER_STEP + ", unchanged");
        distill.put("config", config);
        p.put("distill", distill);
        p.putAll(TrainingRun.environment());
        return p;
    }
}
