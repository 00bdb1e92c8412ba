package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeParameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    private List<int[]> train;
    private List<int[]> valid;
    private Dims dims;
    private Vocabulary vocab;
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    @BeforeEach
    void data() throws Exception {
        Corpus c = CorpusReader.read(Fixtures.topicCorpus(dir.resolve("c.txt"), 240, 1));
        TrainConfig cfg = Fixtures.tinyConfig().build();
        Vocabulary v = TrainingRun.buildVocabulary(c, TokenNormalizer.defaults(), cfg);
        vocab = v;
        List<int[]> ids = EncodedCorpus.of(c, new SentenceEncoder(TokenNormalizer.defaults(), v, 20)).ids();
        train = ids.subList(0, 200);
        valid = ids.subList(200, 240);
        dims = new Dims(v.size(), cfg.embeddingDim(), cfg.hiddenDim(), cfg.latentDim());
    }

    private Map<String, float[]> run(TrainConfig cfg, Path runDir, boolean resume, int stopAfterEpoch) throws Exception {
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, cfg.seed())) {
            VaeTrainer t = new VaeTrainer(cfg, p, runDir, resume, quiet);
            try {
                t.train(train, valid, r -> {
                    if (r.epoch() == stopAfterEpoch) {
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
    void resumingAfterAKillGivesTheSameParametersAsAnUninterruptedRun() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(2).pretrainEpochs(1).annealSteps(10).freeBits(0.1).build();
        Map<String, float[]> straight = run(cfg, dir.resolve("a"), false, -1);
        run(cfg, dir.resolve("b"), false, 2);
        Map<String, float[]> resumed = run(cfg, dir.resolve("b"), true, -1);
        for (String name : straight.keySet()) {
            assertArrayEquals(straight.get(name), resumed.get(name), 1e-6f, name);
        }
        Checkpoint state = new ObjectMapper().readValue(dir.resolve("b/checkpoint/state.json").toFile(), Checkpoint.class);
        assertEquals(3, state.completedEpochs());
        assertTrue(state.decoderReset());
    }

    @Test
    void trainingLowersTheValidationNll() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(4).build();
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, cfg.seed())) {
            VaeTrainer t = new VaeTrainer(cfg, p, dir.resolve("r"), false, quiet);
            double before = t.validate(valid).iwNll();
            List<Double> after = new ArrayList<>();
            t.train(train, valid, r -> after.add(r.valid().iwNll()));
            assertTrue(after.get(after.size() - 1) < before - 1, "IW-NLL before " + before + ", per epoch " + after);
        }
    }

    @Test
    void aNanStopsTrainingWithAClearErrorAndKeepsTheLastGoodCheckpoint() throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(2).build();
        Path runDir = dir.resolve("nan");
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, cfg.seed())) {
            VaeTrainer t = new VaeTrainer(cfg, p, runDir, false, quiet);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.train(train, valid, r -> {
                float[] bad = p.get("dec.out.b").toFloatArray();
                bad[5] = Float.NaN;
                p.get("dec.out.b").set(bad);
            }));
            assertTrue(e.getMessage().contains("training diverged: loss is NaN at epoch 2, step 1"), e.getMessage());
            assertTrue(e.getMessage().contains("end of epoch 1"), e.getMessage());
        }
        // The checkpoint is the good one of epoch 1 and loads with finite values.
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 0)) {
            VaeTrainer t = new VaeTrainer(cfg, p, runDir, true, quiet);
            assertEquals(1, t.state().completedEpochs());
            for (float v : p.get("dec.out.b").toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void bucketedBatchesCoverEverySentenceOnceAndAreDeterministic() {
        List<List<int[]>> a = VaeTrainer.bucketedBatches(train, 16, 7);
        List<List<int[]>> b = VaeTrainer.bucketedBatches(train, 16, 7);
        assertEquals(train.size(), a.stream().mapToInt(List::size).sum());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).size(), b.get(i).size());
            for (int j = 0; j < a.get(i).size(); j++) {
                assertArrayEquals(a.get(i).get(j), b.get(i).get(j));
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {TrainConfig.LSTM_DECODER, TrainConfig.TOPIC_DECODER})
    void aDecoderStartedFromTheLanguageModelGivesItsLikelihoodsWhateverZ(String decoder) throws Exception {
        TrainConfig lmCfg = Fixtures.tinyConfig().latentType(io.latentnlp.models.latent.LatentType.NONE).epochs(1).build();
        Path lmDir = dir.resolve("lm");
        Dims lmDims = lmCfg.dims(vocab.size());
        float[][] zero = new float[valid.size()][0];
        float[][] lmLogProbs;
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, lmDims, lmCfg.seed())) {
            VaeTrainer t = new VaeTrainer(lmCfg, p, lmDir, false, quiet);
            t.train(train, valid, r -> { });
            assertTrue(t.restoreBest());
            lmLogProbs = new io.latentnlp.training.model.DjlScorer(t.network(), root).tokenLogProbs(valid, zero);
        }
        new ObjectMapper().writeValue(lmDir.resolve("config.json").toFile(), lmCfg);
        vocab.write(lmDir.resolve(io.latentnlp.models.bundle.ModelBundle.VOCAB));

        TrainConfig cfg = Fixtures.tinyConfig().epochs(1).decoder(decoder).build();
        Dims dims = cfg.dims(vocab.size());
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, cfg.seed())) {
            VaeTrainer t = new VaeTrainer(cfg, p, dir.resolve("vae-" + decoder), false, quiet);
            t.initDecoder(DecoderInit.read(lmDir, vocab, dims));
            float[][] z = new float[valid.size()][dims.latent()];
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            for (float[] row : z) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (rng.nextDouble() * 6 - 3);
                }
            }
            float[][] vaeLogProbs = new io.latentnlp.training.model.DjlScorer(t.network(), root).tokenLogProbs(valid, z);
            for (int i = 0; i < valid.size(); i++) {
                assertArrayEquals(lmLogProbs[i], vaeLogProbs[i], 1e-5f, "sentence " + i);
            }
            // Training moves z's weights off zero: the decoder starts to read z.
            t.train(train, valid, r -> { });
            for (String readsZ : dims.topic() ? List.of("dec.init.w", "dec.topic.w") : List.of("dec.init.w")) {
                float[] zColumns = p.get(readsZ).toFloatArray();
                assertTrue(java.util.stream.IntStream.range(0, zColumns.length).anyMatch(i -> zColumns[i] != 0f), readsZ);
            }
        }
    }

    @Test
    void aDecoderCannotStartFromAnotherVocabularyOrAVae() throws Exception {
        TrainConfig lmCfg = Fixtures.tinyConfig().latentType(io.latentnlp.models.latent.LatentType.NONE).epochs(1).maxStepsPerEpoch(2).build();
        Path lmDir = dir.resolve("lm2");
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, lmCfg.dims(vocab.size()), 1)) {
            new VaeTrainer(lmCfg, p, lmDir, false, quiet).train(train, valid, r -> { });
        }
        new ObjectMapper().writeValue(lmDir.resolve("config.json").toFile(), lmCfg);
        List<String> other = new ArrayList<>(vocab.tokens());
        java.util.Collections.swap(other, 5, 6);
        Vocabulary.fromLines(other, "other").write(lmDir.resolve(io.latentnlp.models.bundle.ModelBundle.VOCAB));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecoderInit.read(lmDir, vocab, dims));
        assertTrue(e.getMessage().contains("vocabulary") && e.getMessage().contains(lmDir.toString()), e.getMessage());

        new ObjectMapper().writeValue(lmDir.resolve("config.json").toFile(), Fixtures.tinyConfig().build());
        e = assertThrows(IllegalArgumentException.class, () -> DecoderInit.read(lmDir, vocab, dims));
        assertTrue(e.getMessage().contains("VAE run, not a language model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecoderInit.read(dir.resolve("nothing"), vocab, dims));
        assertTrue(e.getMessage().contains("not a finished training run"), e.getMessage());
    }
}
