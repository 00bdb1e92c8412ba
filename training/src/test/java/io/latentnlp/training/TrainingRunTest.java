package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class TrainingRunTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    private TrainingRun.Inputs corpora() throws Exception {
        return new TrainingRun.Inputs(Fixtures.topicCorpus(dir.resolve("train.txt"), 200, 1), Fixtures.topicCorpus(dir.resolve("valid.txt"), 40, 2),
                Fixtures.topicCorpus(dir.resolve("test.txt"), 40, 3));
    }

    @Test
    void aVaeRunWritesABundleThatOnnxRuntimeEvaluatesLikeDjl() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(2).build();
        TrainingRun.Result r = TrainingRun.run(cfg, corpora(), dir.resolve("run"), "tiny", null, false, "test", quiet);
        assertEquals(dir.resolve("run/tiny.vae"), r.bundle());
        for (String plot : new String[] {"nats", "kl-mi", "au", "pca"}) {
            Path png = dir.resolve("run/plots/tiny-" + plot + ".png");
            assertTrue(Files.size(png) > 1000, "the run draws its plots: " + png);
        }
        List<String> epochs = Files.readAllLines(dir.resolve("run/metrics.jsonl"));
        assertEquals(2, epochs.size());
        JsonNode first = new ObjectMapper().readTree(epochs.get(0));
        for (String key : List.of("elbo", "rec", "kl", "iw_nll", "ppl", "mi", "au")) {
            assertTrue(first.get("valid").has(key), "metrics.jsonl lacks valid." + key);
        }
        ModelBundle bundle = ModelBundle.load(r.bundle());
        assertEquals("test", bundle.manifest().provenance().get("command"));
        assertNotNull(bundle.manifest().metrics().get("test.iw_nll"));
        // Median thresholds: every hash bit splits the training sentences about in half.
        EncodedCorpus trainIds = EncodedCorpus.of(CorpusReader.read(dir.resolve("train.txt")), bundle.sentenceEncoder());
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            io.latentnlp.models.latent.Posterior[] q = vae.encode(trainIds.ids());
            int[] ones = new int[bundle.manifest().hash().bits()];
            for (io.latentnlp.models.latent.Posterior p : q) {
                io.latentnlp.models.hash.SemanticHash h = vae.hash(p);
                for (int k = 0; k < ones.length; k++) {
                    ones[k] += h.bit(k) ? 1 : 0;
                }
            }
            for (int k = 0; k < ones.length; k++) {
                // duplicate sentences share a mean, so the split is only about even
                assertTrue(ones[k] >= 0.3 * q.length && ones[k] <= 0.55 * q.length, "bit " + k + " is 1 for " + ones[k] + " of " + q.length);
            }
        }
        // The same evaluator on ONNX Runtime reproduces the test metrics computed with DJL.
        EncodedCorpus test = EncodedCorpus.of(CorpusReader.read(dir.resolve("test.txt")), bundle.sentenceEncoder());
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            EvalMetrics ort = VaeEvaluator.evaluate(vae, test.ids(), new VaeEvaluator.Settings(cfg.testSamples(), 64, cfg.seed(), 0.01), null);
            assertEquals(r.test().iwNll(), ort.iwNll(), 1e-3);
            assertEquals(r.test().kl(), ort.kl(), 1e-4);
            assertEquals(r.test().mutualInformation(), ort.mutualInformation(), 1e-3);
            assertEquals(r.test().activeUnits(), ort.activeUnits());
        }
    }

    @Test
    void anOpenVocabularyRunShipsItsWordPiecesAndResumesWithThem() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().units(TrainConfig.WORDPIECE).vocabSize(120).epochs(1).build();
        TrainingRun.Result r = TrainingRun.run(cfg, corpora(), dir.resolve("wp"), "wp", null, false, "test", quiet);
        ModelBundle bundle = ModelBundle.load(r.bundle());
        assertTrue(bundle.manifest().vocab().wordPieces());
        // every piece the tiny corpus uses fits (its characters in both forms, then whole words): fewer than 120
        int size = bundle.vocabulary().size();
        assertTrue(size > 40 && size <= 120, "vocabulary size " + size);
        assertTrue(bundle.vocabulary().contains("ships") && bundle.vocabulary().contains("##s"), bundle.vocabulary().tokens().toString());
        assertTrue(bundle.hasFile(io.latentnlp.models.text.Subwords.FILE));
        // a word the corpus never had is known units, not <unk>
        io.latentnlp.models.text.EncodedSentence e = bundle.sentenceEncoder().encode(List.of("Unheard", "sandwich", "comrades"));
        assertEquals(0, e.unknownCount(), "pieces of " + bundle.words(e.ids()));
        EncodedCorpus test = EncodedCorpus.of(CorpusReader.read(dir.resolve("test.txt")), bundle.sentenceEncoder());
        assertEquals(0.0, test.unknownRate());
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            EvalMetrics ort = VaeEvaluator.evaluate(vae, test.ids(), new VaeEvaluator.Settings(cfg.testSamples(), 64, cfg.seed(), 0.01), null);
            assertEquals(r.test().iwNll(), ort.iwNll(), 1e-3);
        }
        // resuming reads the run's own segmenter and vocabulary
        TrainConfig more = Fixtures.tinyConfig().units(TrainConfig.WORDPIECE).vocabSize(120).epochs(1).build();
        TrainingRun.Result again = TrainingRun.run(more, corpora(), dir.resolve("wp"), "wp", null, true, "test", quiet);
        assertEquals(bundle.vocabulary().tokens(), ModelBundle.load(again.bundle()).vocabulary().tokens());
    }

    @Test
    void theLanguageModelBaselineTrainsWithTheSameCommandAndHasExactLikelihoods() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().latentType(LatentType.NONE).epochs(1).build();
        TrainingRun.Result r = TrainingRun.run(cfg, corpora(), dir.resolve("lm"), "lm", null, false, "test", quiet);
        assertNull(r.bundle());
        assertEquals(0, r.test().latentDim());
        assertEquals(0.0, r.test().kl());
        // Without z, the IW estimate is exact and equals the reconstruction term.
        assertEquals(r.test().reconstruction(), r.test().iwNll(), 1e-6);
        assertTrue(Files.exists(dir.resolve("lm/summary.json")));
        assertTrue(Files.exists(dir.resolve("lm/plots/lm-nats.png")), "curves for the baseline too");
        assertFalse(Files.exists(dir.resolve("lm/plots/lm-pca.png")), "no latent space to project");
    }

    @Test
    void resumingWithOtherSettingsOrStartingOverAnExistingRunIsRefused() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(1).build();
        TrainingRun.Inputs in = corpora();
        TrainingRun.run(cfg, in, dir.resolve("r"), "r", null, false, "test", quiet);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.run(cfg.toBuilder().hiddenDim(32).build(), in, dir.resolve("r"), "r", null, true, "test", quiet));
        assertTrue(e.getMessage().contains("was started with different settings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(cfg, in, dir.resolve("r"), "r", null, false, "test", quiet));
        assertTrue(e.getMessage().contains("already holds a training run; pass --resume"), e.getMessage());
    }
}
