package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.latent.GaussianMath;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.DistillLoss;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoder distillation ({@link DistillRun}): a tiny pretrained-family teacher (real MiniLM through
 * ONNX Runtime, head trained in DJL) distilled into an LSTM encoder; the student bundle, its
 * ONNX-vs-DJL parity, that the loss really falls, resume, and the refusals.
 */
@Tag("integration")
class DistillTest {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static ModelBundle teacher;
    private static Path teacherPath;
    private static DistillRun.Inputs inputs;

    @BeforeAll
    static void trainTeacher() throws Exception {
        Path features = shared.resolve("features");
        inputs = new DistillRun.Inputs(Fixtures.topicCorpus(shared.resolve("train.txt"), 200, 1), Fixtures.topicCorpus(shared.resolve("valid.txt"), 40, 2),
                Fixtures.topicCorpus(shared.resolve("test.txt"), 40, 3), features);
        // Free bits and the bag-of-words loss keep the teacher's posteriors away from the prior, so there is something to learn.
        TrainConfig cfg = Fixtures.tinyConfig().latentDim(6).epochs(3).freeBits(1.0).bowWeight(5).encoder(TrainConfig.PRETRAINED)
                .backbone(PretrainedBackbone.MINILM).build();
        TrainingRun.Result r = TrainingRun.run(cfg, new TrainingRun.Inputs(inputs.train(), inputs.valid(), null, features), shared.resolve("teacher"),
                "teacher", null, false, "test", QUIET);
        teacherPath = r.bundle();
        teacher = ModelBundle.load(teacherPath);
    }

    private static DistillConfig tiny(int epochs) {
        return new DistillConfig(DistillLoss.KL, epochs, 16, 1e-2, 5.0, 7, 0, 0, DistillConfig.HASH_ITQ, 20, DistillConfig.INIT_TEACHER);
    }

    @Test
    void theStudentMovesTowardTheTeacherAndItsBundleKeepsTheTeachersDecodersAndRunsInOnnxRuntimeLikeDjl() throws Exception {
        Path runDir = dir.resolve("run");
        DistillRun.Result r = DistillRun.run(tiny(4), teacherPath.toString(), inputs, runDir, "student", null, false, "latent-nlp distill test", QUIET);

        // The loss really falls: the untrained student is far from the teacher, the trained one much closer.
        assertTrue(r.initial().kl() > 1.0, "an untrained student is far from the teacher: " + r.initial());
        assertTrue(r.valid().kl() < 0.5 * r.initial().kl(), "distillation at least halves KL(teacher || student): " + r.initial() + " -> " + r.valid());
        assertTrue(r.valid().meanSquaredError() < 0.5 * r.initial().meanSquaredError(), "the student's means move toward the teacher's: " + r.initial()
                + " -> " + r.valid());

        ModelBundle student = ModelBundle.load(r.bundle());
        Manifest m = student.manifest();
        assertEquals(Manifest.Encoder.LSTM, m.encoderFamily());
        for (String file : List.of(ModelBundle.DECODER, ModelBundle.DECODER_STEP)) {
            assertArrayEquals(teacher.file(file), student.file(file), file + " is the teacher's, unchanged");
        }
        assertEquals(teacher.vocabulary().tokens(), student.vocabulary().tokens());
        assertEquals(teacher.manifest().latent(), m.latent());
        assertEquals(Manifest.Hash.ITQ, m.hash().method());
        @SuppressWarnings("unchecked")
        Map<String, Object> distill = (Map<String, Object>) m.provenance().get("distill");
        assertEquals("teacher", distill.get("teacher"));
        assertEquals(DistillRun.contentSha256(teacher), distill.get("teacher_sha256"));
        assertEquals("latent-nlp distill test", m.provenance().get("command"));
        assertTrue(m.metrics().containsKey("valid.agree.teacher_spec_bits") && m.metrics().containsKey("test.agree.distance_spearman"), m.metrics().toString());

        // ONNX Runtime runs the exported student as DJL computes it, one at a time and batched,
        // on sentences of every length up to three times the training maximum.
        Dims dims = new Dims(teacher.vocabulary().size(), m.architecture().embeddingDim(), m.architecture().hiddenDim(), m.latent().dim(),
                LatentType.GAUSSIAN, 0);
        List<int[]> probe = Fixtures.randomSentences(60, 60, teacher.vocabulary().size(), 11);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 1);
                InputStream in = Files.newInputStream(runDir.resolve("best-params.ndl"));
                SentenceVae vae = SentenceVae.open(student, new SentenceVae.Options(1, 7))) {
            p.load(in);
            Posterior[] djl = new DjlScorer(new VaeNetwork(p), root).encode(probe);
            Posterior[] ort = vae.encode(probe);
            for (int i = 0; i < probe.size(); i++) {
                GaussianPosterior a = (GaussianPosterior) djl[i];
                GaussianPosterior b = (GaussianPosterior) ort[i];
                assertArrayEquals(a.mean(), b.mean(), 1e-5f, "mean, sentence of length " + probe.get(i).length);
                assertArrayEquals(a.logvar(), b.logvar(), 1e-5f, "logvar, sentence of length " + probe.get(i).length);
                assertArrayEquals(b.mean(), ((GaussianPosterior) vae.encode(List.of(probe.get(i)))[0]).mean(), 1e-6f, "batched = alone");
            }
        }
    }

    @Test
    void theElboTermRefinesADistilledStudentTowardTheDecodersPosterior() throws Exception {
        Path first = dir.resolve("first");
        DistillRun.Result distilled = DistillRun.run(tiny(3), teacherPath.toString(), inputs, first, "s", null, false, "test", QUIET);
        // the pure student's -ELBO under the teacher's decoder, measured by a zero-epoch-like refinement's validation
        DistillConfig refine = tiny(3).withElbo(1.0, first.toString());
        DistillRun.Result refined = DistillRun.run(refine, teacherPath.toString(), inputs, dir.resolve("refined"), "r", null, false, "test", QUIET);
        DistillTrainer.Validation before = refined.initial();
        assertTrue(before.kl() < 0.75 * distilled.initial().kl(), "the refinement starts from the distilled student, not from scratch: "
                + before + " vs " + distilled.initial());
        assertTrue(Double.isFinite(before.negativeElbo()) && refined.valid().negativeElbo() < before.negativeElbo(),
                "the ELBO under the frozen teacher decoder improves: " + before + " -> " + refined.valid());
        ModelBundle student = ModelBundle.load(refined.bundle());
        assertArrayEquals(teacher.file(ModelBundle.DECODER), student.file(ModelBundle.DECODER), "the decoder is the teacher's, never updated");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistillRun.run(tiny(1).withElbo(1.0, dir.resolve("none").toString()),
                teacherPath.toString(), inputs, dir.resolve("x"), "x", null, false, "test", QUIET));
        assertTrue(e.getMessage().contains("no finished distillation there"), e.getMessage());
    }

    @Test
    void aStudentSharingTheTeachersFilesHoldsOnlyItsEncoderAndLoadsBesideTheTeacher() throws Exception {
        Path out = dir.resolve("students").resolve("shared.vae");
        DistillRun.Result r = DistillRun.run(tiny(1), teacherPath.toString(), inputs, dir.resolve("run"), "s", out, true, false, "test", QUIET);
        ModelBundle student = ModelBundle.load(r.bundle());
        assertEquals(teacherPath.toAbsolutePath().normalize(), out.toAbsolutePath().getParent().resolve(student.manifest().base()).normalize(),
                "the base is named by its path relative to the student's directory: " + student.manifest().base());
        assertEquals(Manifest.FORMAT_VERSION_SHARED, student.manifest().formatVersion());
        assertTrue(student.sharedFiles().containsAll(List.of(ModelBundle.DECODER, ModelBundle.DECODER_STEP, ModelBundle.VOCAB)), student.sharedFiles().toString());
        for (String file : List.of(ModelBundle.DECODER, ModelBundle.DECODER_STEP)) {
            assertArrayEquals(teacher.file(file), student.file(file), file);
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(out); java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(in)) {
            java.util.Set<String> held = new java.util.TreeSet<>();
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                held.add(e.getName());
            }
            assertEquals(java.util.Set.of(ModelBundle.MANIFEST, ModelBundle.ENCODER), held, "the student's own files");
        }
        try (SentenceVae vae = SentenceVae.open(student, SentenceVae.Options.defaults())) {
            io.latentnlp.models.text.EncodedSentence x = student.sentenceEncoder().encode(List.of("a", "test", "."));
            float[] z = vae.encodeSentences(List.of(x))[0].code();
            float[] lp = vae.tokenLogProbs(List.of(x.ids()), new float[][] {z})[0];
            assertEquals(x.ids().length, lp.length);
            for (float v : lp) {
                assertTrue(v < 0 && Float.isFinite(v), "log p of every unit from the teacher's decoder: " + java.util.Arrays.toString(lp));
            }
        }
    }

    @Test
    void theTeachersDecoderEmbeddingIsReadBackFromItsGraphAsItWasExported() {
        Dims dims = new Dims(30, 8, 24, 3, LatentType.GAUSSIAN, 0);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 4)) {
            byte[] decoder = io.latentnlp.training.export.OnnxExporter.export(dims, p.toFloatArrays()).get(ModelBundle.DECODER);
            assertArrayEquals(p.get("dec.emb").toFloatArray(), io.latentnlp.training.export.OnnxExporter.initializer(decoder, "dec.emb", 30 * 8), 0f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> io.latentnlp.training.export.OnnxExporter.initializer(decoder, "dec.emb", 31 * 8));
            assertTrue(e.getMessage().contains("no float initializer dec.emb of 248 values"), e.getMessage());
        }
    }

    @Test
    void theKlLossIsTheClosedFormOfDiagonalGaussians() {
        SplittableRandom rng = new SplittableRandom(3);
        int b = 5;
        int d = 4;
        float[][] v = new float[4][b * d];
        for (float[] a : v) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextDouble() * 3 - 1.5);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(b, d);
            float[] got = DistillLoss.kl(m.create(v[0], s), m.create(v[1], s), m.create(v[2], s), m.create(v[3], s)).toFloatArray();
            float[] same = DistillLoss.kl(m.create(v[0], s), m.create(v[1], s), m.create(v[0], s), m.create(v[1], s)).toFloatArray();
            for (int row = 0; row < b; row++) {
                double want = 0;
                for (int k = row * d; k < (row + 1) * d; k++) {
                    // log(sigma_S / sigma_T) + (sigma_T^2 + (mu_T - mu_S)^2) / (2 sigma_S^2) - 1/2
                    double sT = Math.exp(v[1][k] / 2);
                    double sS = Math.exp(v[3][k] / 2);
                    want += Math.log(sS / sT) + (sT * sT + Math.pow(v[0][k] - v[2][k], 2)) / (2 * sS * sS) - 0.5;
                }
                assertEquals(want, got[row], 1e-4 * Math.max(1, want), "row " + row);
                assertEquals(0, same[row], 1e-6, "KL of a posterior from itself");
            }
            // Against the prior N(0, I) it is the VAE's own closed-form KL.
            float[] prior = DistillLoss.kl(m.create(v[2], s), m.create(v[3], s), m.zeros(s), m.zeros(s)).toFloatArray();
            float[] mu = java.util.Arrays.copyOfRange(v[2], 0, d);
            float[] lv = java.util.Arrays.copyOfRange(v[3], 0, d);
            assertEquals(GaussianMath.kl(mu, lv), prior[0], 1e-4);
        }
    }

    @Test
    void resumingAfterAKillGivesTheSameStudentAsAnUninterruptedRun() throws Exception {
        int vocab = 30;
        int d = 3;
        List<int[]> sentences = Fixtures.randomSentences(80, 12, vocab, 5);
        FeatureTable table = new FeatureTable(2 * d);
        SplittableRandom rng = new SplittableRandom(9);
        float[][] rows = new float[sentences.size()][2 * d];
        for (float[] row : rows) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) rng.nextGaussian() * (k < d ? 1f : 0.3f);
            }
        }
        table.putAll(sentences, rows);
        Dims dims = new Dims(vocab, 8, 24, d, LatentType.GAUSSIAN, 0);
        DistillConfig cfg = tiny(3);
        Map<String, float[]> straight = train(cfg, dims, table, sentences, dir.resolve("a"), false, -1);
        train(cfg, dims, table, sentences, dir.resolve("b"), false, 2);
        Map<String, float[]> resumed = train(cfg, dims, table, sentences, dir.resolve("b"), true, -1);
        for (String name : straight.keySet()) {
            assertArrayEquals(straight.get(name), resumed.get(name), 0f, name);
        }
    }

    private static Map<String, float[]> train(DistillConfig cfg, Dims dims, FeatureTable table, List<int[]> sentences, Path runDir, boolean resume,
            int killAfterEpoch) throws Exception {
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, cfg.seed())) {
            DistillTrainer t = new DistillTrainer(cfg, p, table, runDir, resume, QUIET);
            try {
                t.train(sentences.subList(0, 60), sentences.subList(60, 80), r -> {
                    if (r.epoch() == killAfterEpoch) {
                        throw new IllegalStateException("killed");
                    }
                });
            } catch (IllegalStateException e) {
                assertEquals("killed", e.getMessage());
            }
            return p.toFloatArrays();
        }
    }

    @Test
    void badTeachersSettingsAndRunDirectoriesAreRefusedWithWhatToDo() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistillRun.run(tiny(1), ShippedModels.BERNOULLI_64, inputs, dir.resolve("b"), "s", null, false, "test", QUIET));
        assertTrue(e.getMessage().contains("bernoulli") && e.getMessage().contains("Gaussian") && e.getMessage().contains(ShippedModels.DEFAULT), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistillRun.run(tiny(1), ShippedModels.GAUSSIAN_32, inputs, dir.resolve("g"), "s", null, false, "test", QUIET));
        assertTrue(e.getMessage().contains("already has an LSTM encoder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistillRun.run(tiny(1), teacherPath.toString(), inputs, dir.resolve("empty"), "s", null, true, "test", QUIET));
        assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("start without --resume"), e.getMessage());

        Path runDir = dir.resolve("run");
        DistillConfig cut = new DistillConfig(DistillLoss.MSE, 1, 16, 1e-3, 0, 7, 50, 2, DistillConfig.HASH_TEACHER, 5, DistillConfig.INIT_RANDOM);
        DistillRun.Result r = DistillRun.run(cut, teacherPath.toString(), inputs, runDir, "s", null, false, "test", QUIET);
        Manifest.Hash kept = ModelBundle.load(r.bundle()).manifest().hash();
        assertEquals(teacher.manifest().hash().method(), kept.method());
        assertArrayEquals(teacher.manifest().hash().thresholds(), kept.thresholds(), "--hash teacher keeps the teacher's spec");
        e = assertThrows(IllegalArgumentException.class, () -> DistillRun.run(cut, teacherPath.toString(), inputs, runDir, "s", null, false, "test", QUIET));
        assertTrue(e.getMessage().contains("already holds a distillation") && e.getMessage().contains("--resume"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistillRun.run(cut.withEpochs(2), teacherPath.toString(), inputs, runDir, "s", null, true, "test", QUIET));
        assertTrue(e.getMessage().contains("different settings"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new DistillConfig("l1", 1, 16, 1e-3, 0, 7, 0, 0, DistillConfig.HASH_ITQ, 5, DistillConfig.INIT_RANDOM));
        assertTrue(e.getMessage().contains("--loss 'l1'") && e.getMessage().contains("kl"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistillConfig(DistillLoss.KL, 1, 16, -1, 0, 7, 0, 0, DistillConfig.HASH_ITQ, 5, DistillConfig.INIT_RANDOM));
        assertTrue(e.getMessage().contains("--lr -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistillConfig(DistillLoss.KL, 0, 16, 1e-3, 0, 7, 0, 0, DistillConfig.HASH_ITQ, 5, DistillConfig.INIT_RANDOM));
        assertTrue(e.getMessage().contains("--epochs 0: must be at least 1"), e.getMessage());
    }
}
