package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.Objective;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrained encoder family end to end (frozen MiniLM, head trained in DJL, exported head run
 * by ONNX Runtime behind the backbone), the bag-of-words loss and word dropout.
 */
@Tag("integration")
class PretrainedFamilyTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aPretrainedRunExportsAHeadThatOnnxRuntimeRunsBehindTheBackboneLikeDjl() throws Exception {
        TrainingRun.Inputs in = new TrainingRun.Inputs(Fixtures.topicCorpus(dir.resolve("train.txt"), 200, 1),
                Fixtures.topicCorpus(dir.resolve("valid.txt"), 40, 2), Fixtures.topicCorpus(dir.resolve("test.txt"), 40, 3), dir.resolve("features"));
        TrainConfig cfg = Fixtures.tinyConfig().latentType(LatentType.BERNOULLI).latentDim(8).epochs(2).encoder(TrainConfig.PRETRAINED)
                .backbone(PretrainedBackbone.MINILM).bowWeight(1).wordDropout(0.2).build();
        TrainingRun.Result r = TrainingRun.run(cfg, in, dir.resolve("run"), "pre", null, false, "test", quiet);
        ModelBundle bundle = ModelBundle.load(r.bundle());
        Manifest.Encoder enc = bundle.manifest().encoder();
        assertEquals(Manifest.Encoder.PRETRAINED, enc.family());
        assertEquals(PretrainedBackbone.spec(PretrainedBackbone.MINILM), enc.backbone(), "the bundle names the backbone by its sha256");
        assertTrue(bundle.file(ModelBundle.ENCODER).length < 100_000, "the bundle holds the head, not the backbone");
        assertTrue(Files.list(dir.resolve("features")).count() >= 3, "train, valid and test embeddings cached");
        EncodedCorpus test = EncodedCorpus.of(CorpusReader.read(dir.resolve("test.txt")), bundle.sentenceEncoder());
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(1, 7))) {
            EvalMetrics ort = VaeEvaluator.evaluateSentences(vae, test.sentences(), new VaeEvaluator.Settings(cfg.testSamples(), 64, cfg.seed(), 0.01), null);
            assertEquals(r.test().iwNll(), ort.iwNll(), 1e-3, "DJL over cached features = ONNX Runtime over backbone + head");
            assertEquals(r.test().kl(), ort.kl(), 1e-4);
            assertEquals(r.test().activeUnits(), ort.activeUnits());
            // batch independence: one at a time equals batches of 7
            List<EncodedSentence> s = test.sentences();
            Posterior[] all = vae.encodeSentences(s);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(((BernoulliPosterior) all[i]).logits(), ((BernoulliPosterior) vae.encodeSentences(List.of(s.get(i)))[0]).logits(), 1e-6f);
            }
            IllegalArgumentException ids = assertThrows(IllegalArgumentException.class, () -> vae.encode(test.ids()));
            assertTrue(ids.getMessage().contains("pretrained encoder") && ids.getMessage().contains(bundle.source()), ids.getMessage());
            IllegalArgumentException noText = assertThrows(IllegalArgumentException.class,
                    () -> vae.encodeSentences(List.of(EncodedSentence.ofIds(test.ids().get(0)))));
            assertTrue(noText.getMessage().contains("no text"), noText.getMessage());
        }
    }

    @Test
    void aManifestNamingAnUnknownFamilyOrBackboneIsRefused() throws Exception {
        TrainingRun.Inputs in = new TrainingRun.Inputs(Fixtures.topicCorpus(dir.resolve("train.txt"), 60, 1),
                Fixtures.topicCorpus(dir.resolve("valid.txt"), 10, 2), null, dir.resolve("features"));
        TrainConfig cfg = Fixtures.tinyConfig().latentType(LatentType.BERNOULLI).latentDim(4).epochs(1).maxStepsPerEpoch(2).encoder(TrainConfig.PRETRAINED)
                .backbone(PretrainedBackbone.MINILM).build();
        ModelBundle good = ModelBundle.load(TrainingRun.run(cfg, in, dir.resolve("run"), "pre", null, false, "test", quiet).bundle());
        Manifest m = good.manifest();
        Manifest unknownFamily = new Manifest(m.formatVersion(), m.name(), m.latent(), m.architecture(), m.normalizer(), m.vocab(), m.hash(), m.provenance(),
                m.metrics(), null, new Manifest.Encoder("transformer-xl", m.encoder().backbone()));
        io.latentnlp.models.bundle.BundleException e = assertThrows(io.latentnlp.models.bundle.BundleException.class,
                () -> ModelBundle.write(dir.resolve("bad.vae"), unknownFamily, good.vocabulary(), graphs(good)));
        assertTrue(e.getMessage().contains("unknown encoder family 'transformer-xl'") && e.getMessage().contains("pretrained"), e.getMessage());
        PretrainedBackbone.Spec b = m.encoder().backbone();
        Manifest otherGraph = new Manifest(m.formatVersion(), m.name(), m.latent(), m.architecture(), m.normalizer(), m.vocab(), m.hash(), m.provenance(),
                m.metrics(), null, new Manifest.Encoder(Manifest.Encoder.PRETRAINED, new PretrainedBackbone.Spec(b.name(), "ab" + b.sha256().substring(2), b.dim(),
                        b.pooling(), b.maxPieces())));
        ModelBundle stale = ModelBundle.write(dir.resolve("stale.vae"), otherGraph, good.vocabulary(), graphs(good));
        e = assertThrows(io.latentnlp.models.bundle.BundleException.class, () -> SentenceVae.open(stale, SentenceVae.Options.defaults()));
        assertTrue(e.getMessage().contains("sha256") && e.getMessage().contains("trained with"), e.getMessage());
    }

    private static java.util.Map<String, byte[]> graphs(ModelBundle b) {
        return java.util.Map.of(ModelBundle.ENCODER, b.file(ModelBundle.ENCODER), ModelBundle.DECODER, b.file(ModelBundle.DECODER));
    }

    @Test
    void theBagOfWordsLossIsTheNegativeLogLikelihoodOfTheSentencesWordsUnderSoftmaxWzPlusB() {
        Vocabulary vocab = Fixtures.vocabulary(12);
        Dims dims = new Dims(vocab.size(), 8, 24, 3, LatentType.GAUSSIAN, 0).withBagOfWords();
        List<int[]> sentences = List.of(new int[] {5, 6, 5, Vocabulary.EOS_ID}, new int[] {7, Vocabulary.EOS_ID});
        float[] z = {0.3f, -1.2f, 0.7f, 1.1f, 0.0f, -0.4f};
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 5); NDManager m = root.newSubManager()) {
            NDArray got = new VaeNetwork(p).bagOfWordsNll(m, Batch.of(sentences), m.create(z, new Shape(2, 3)));
            float[] w = p.get("bow.w").toFloatArray();
            float[] b = p.get("bow.b").toFloatArray();
            int v = dims.vocab();
            for (int row = 0; row < 2; row++) {
                double[] logits = new double[v];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) {
                    logits[k] = b[k];
                    for (int j = 0; j < 3; j++) {
                        logits[k] += w[k * 3 + j] * z[row * 3 + j];
                    }
                    max = Math.max(max, logits[k]);
                }
                double lse = 0;
                for (double l : logits) {
                    lse += Math.exp(l - max);
                }
                lse = Math.log(lse) + max;
                double nll = 0;
                int[] s = sentences.get(row);
                for (int t = 0; t < s.length - 1; t++) {
                    nll -= logits[s[t]] - lse; // </s> is not a word of the bag
                }
                assertEquals(nll, got.getFloat(row), 1e-4, "row " + row);
            }
        }
    }

    @Test
    void alignmentTargetsAreCenteredPrincipalComponentsAtTheAskedScale() {
        int n = 400;
        int f = 12;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        List<int[]> ids = new java.util.ArrayList<>();
        float[][] x = new float[n][f];
        for (int i = 0; i < n; i++) {
            ids.add(new int[] {i});
            double a = rng.nextGaussian() * 3;
            for (int j = 0; j < f; j++) {
                x[i][j] = (float) (a * (j % 2 == 0 ? 1 : -1) + rng.nextGaussian() * 0.1 + 5);
            }
        }
        io.latentnlp.training.model.FeatureTable features = new io.latentnlp.training.model.FeatureTable(f);
        features.putAll(ids, x);
        io.latentnlp.training.model.FeatureTable t = TrainingRun.alignmentTargets(features, ids, 3, 0.4, quiet);
        float[] rows = t.rows(ids);
        double[] mean = new double[3];
        double[] square = new double[3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                mean[j] += rows[i * 3 + j] / n;
                square[j] += rows[i * 3 + j] * rows[i * 3 + j] / (double) n;
            }
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(0, mean[j], 1e-4, "centered, dimension " + j);
        }
        assertEquals(0.16, (square[0] + square[1] + square[2]) / 3, 1e-4, "mean square per dimension = scale^2");
        assertTrue(square[0] > 50 * square[1], "the first component carries the one strong direction: " + java.util.Arrays.toString(square));
    }

    @Test
    void theAlignmentLossAddsItsWeightTimesTheSquaredDistanceOfTheMeansToTheTargets() {
        Vocabulary vocab = Fixtures.vocabulary(12);
        Dims dims = new Dims(vocab.size(), 8, 24, 3, LatentType.GAUSSIAN, 0).withPretrainedEncoder(5);
        List<int[]> sentences = List.of(new int[] {5, 6, 5, Vocabulary.EOS_ID}, new int[] {7, Vocabulary.EOS_ID});
        io.latentnlp.training.model.FeatureTable features = new io.latentnlp.training.model.FeatureTable(5);
        features.putAll(sentences, new float[][] {{0.1f, 0.2f, -0.3f, 0.4f, 0.5f}, {-1f, 0.5f, 0.2f, 0f, 0.3f}});
        io.latentnlp.training.model.FeatureTable targets = new io.latentnlp.training.model.FeatureTable(3);
        float[][] t = {{0.5f, -0.5f, 0.25f}, {-0.2f, 0.1f, 0.9f}};
        targets.putAll(sentences, t);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 5); NDManager m = root.newSubManager()) {
            VaeNetwork plain = new VaeNetwork(p, features);
            VaeNetwork aligned = new VaeNetwork(p, features);
            aligned.align(targets, 2.5);
            Batch batch = Batch.of(sentences);
            io.latentnlp.training.model.LatentSampler sampler = io.latentnlp.training.model.LatentSampler.of(dims);
            double without = Objective.negativeElbo(m, plain, batch, sampler, 1, 0, 0, new java.util.SplittableRandom(1)).loss().getFloat();
            double with = Objective.negativeElbo(m, aligned, batch, sampler, 1, 0, 0, new java.util.SplittableRandom(1)).loss().getFloat();
            float[] mu = plain.encode(m, batch).get(0).toFloatArray();
            double distance = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    distance += Math.pow(mu[i * 3 + j] - t[i][j], 2) / 2;
                }
            }
            assertEquals(2.5 * distance, with - without, 1e-4);
            // The IWAE objective adds the same term (same samples: same generator seed).
            double iwaeWithout = Objective.negativeIwae(m, plain, batch, 4, 0, new java.util.SplittableRandom(2)).loss().getFloat();
            double iwaeWith = Objective.negativeIwae(m, aligned, batch, 4, 0, new java.util.SplittableRandom(2)).loss().getFloat();
            assertEquals(2.5 * distance, iwaeWith - iwaeWithout, 1e-4);
            IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class, () -> aligned.align(features, 1));
            assertTrue(wrongWidth.getMessage().contains("alignment targets of width 5"), wrongWidth.getMessage());
        }
    }

    @Test
    void wordDropoutHidesDecoderInputWordsButNeverTheStartOrTheTargets() {
        List<int[]> sentences = Fixtures.randomSentences(200, 30, 50, 3);
        Batch b = Batch.of(sentences);
        assertEquals(b, b.withWordDropout(0, new SplittableRandom(1)));
        Batch d = b.withWordDropout(0.4, new SplittableRandom(1));
        assertArrayEquals(b.tokens(), d.tokens(), "targets and encoder input unchanged");
        int hidden = 0;
        int words = 0;
        for (int i = 0; i < b.batch(); i++) {
            assertEquals(Vocabulary.BOS_ID, d.decoderInput()[i * b.time()]);
            for (int j = 1; j < b.time(); j++) {
                long before = b.decoderInput()[i * b.time() + j];
                long after = d.decoderInput()[i * b.time() + j];
                if (j >= b.lengths()[i]) {
                    assertEquals(before, after, "padding untouched");
                    continue;
                }
                words++;
                if (after != before) {
                    assertEquals(Vocabulary.UNK_ID, after);
                    hidden++;
                }
            }
        }
        double rate = hidden / (double) words;
        assertTrue(Math.abs(rate - 0.4) < 0.03, "hidden " + rate + " of " + words);
        assertNotEquals(b, d);
    }
}
