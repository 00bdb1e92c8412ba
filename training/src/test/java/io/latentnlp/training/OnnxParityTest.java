package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceGenerator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.model.CategoricalEstimator;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("integration")
class OnnxParityTest {

    @Test
    void exportedGraphsViolatingTheContractAreRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(10);
        Dims dims = new Dims(vocab.size(), 4, 4, 2);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 1)) {
            Map<String, byte[]> graphs = io.latentnlp.training.export.OnnxExporter.export(dims, params.toFloatArrays());
            // encoder and decoder swapped: valid ONNX, wrong inputs and outputs
            Map<String, byte[]> swapped = Map.of(ModelBundle.ENCODER, graphs.get(ModelBundle.DECODER), ModelBundle.DECODER, graphs.get(ModelBundle.ENCODER));
            io.latentnlp.models.bundle.Manifest manifest = new io.latentnlp.models.bundle.Manifest(io.latentnlp.models.bundle.Manifest.FORMAT_VERSION, "bad",
                    new io.latentnlp.models.bundle.Manifest.Latent(io.latentnlp.models.latent.LatentType.GAUSSIAN, 2), new io.latentnlp.models.bundle.Manifest.Architecture(4, 4),
                    TokenNormalizer.defaults().spec(), new io.latentnlp.models.bundle.Manifest.Vocab(vocab.size(), 10), null, Map.of(), Map.of(), null);
            ModelBundle bad = ModelBundle.write(dir.resolve("swapped.vae"), manifest, vocab, swapped);
            io.latentnlp.models.bundle.BundleException e = org.junit.jupiter.api.Assertions.assertThrows(io.latentnlp.models.bundle.BundleException.class,
                    () -> SentenceVae.open(bad, SentenceVae.Options.defaults()));
            assertTrue(e.getMessage().contains("encoder.onnx: graph inputs are"), e.getMessage());
            // the manifest says d = 3 but the graphs have d = 2
            io.latentnlp.models.bundle.Manifest wrongDim = new io.latentnlp.models.bundle.Manifest(manifest.formatVersion(), "bad", new io.latentnlp.models.bundle.Manifest.Latent(
                    io.latentnlp.models.latent.LatentType.GAUSSIAN, 3), manifest.architecture(), manifest.normalizer(), manifest.vocab(), null, Map.of(), Map.of(), null);
            ModelBundle mismatch = ModelBundle.write(dir.resolve("dim.vae"), wrongDim, vocab, graphs);
            e = org.junit.jupiter.api.Assertions.assertThrows(io.latentnlp.models.bundle.BundleException.class, () -> SentenceVae.open(mismatch, SentenceVae.Options.defaults()));
            assertTrue(e.getMessage().contains("encoder.onnx: 'mean' has shape [-1, 2] but the manifest's gaussian latent of 3 needs width 3"), e.getMessage());
        }
    }

    /** Every latent family and estimator, untied and tied, both decoders, after a few real training steps, batched and one sentence at a time. */
    @ParameterizedTest(name = "{0} {3} tied={4} decoder={5}")
    @CsvSource({"GAUSSIAN, 5, 0, gumbel, false, lstm", "BERNOULLI, 6, 0, gumbel, false, lstm", "CATEGORICAL, 3, 4, gumbel, false, lstm",
            "CATEGORICAL, 2, 8, st-gumbel, false, lstm", "GAUSSIAN, 5, 0, gumbel, true, lstm", "BERNOULLI, 6, 0, gumbel, true, lstm",
            "GAUSSIAN, 5, 0, gumbel, false, bow", "BERNOULLI, 6, 0, gumbel, false, bow", "GAUSSIAN, 5, 0, gumbel, false, lstm-topic",
            "CATEGORICAL, 3, 4, gumbel, true, lstm-topic"})
    void onnxRuntimeMatchesDjlOnPaddedAndSingleSentences(LatentType type, int latentDim, int categories, String estimator, boolean tied, String decoder,
            @TempDir Path dir) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(60);
        List<int[]> sentences = Fixtures.randomSentences(60, 60, vocab.size(), 7);
        TrainConfig cfg = Fixtures.tinyConfig().latentType(type).embeddingDim(tied ? 24 : 16).hiddenDim(24).tieEmbeddings(tied).latentDim(latentDim)
                .categories(categories).estimator(CategoricalEstimator.parse(estimator)).maxLength(60).epochs(1).maxStepsPerEpoch(5).decoder(decoder).build();
        Dims dims = cfg.dims(vocab.size());
        assertEquals(tied, dims.tied());
        assertEquals(decoder.equals(TrainConfig.BOW_DECODER), dims.bowDecoder());
        assertEquals(decoder.equals(TrainConfig.TOPIC_DECODER), VaeParameters.shapes(dims).containsKey("dec.topic.w"));
        assertEquals(tied, VaeParameters.shapes(dims).get("dec.out.w") == null, "a tied model has no separate output matrix");
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 3)) {
            // A few real training steps first, so the weights are not just their initial values.
            new VaeTrainer(cfg, params, dir.resolve("run"), false, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .train(sentences, sentences.subList(0, 8), r -> {});
            DjlScorer djl = new DjlScorer(new VaeNetwork(params), root);
            ModelBundle bundle = BundleExport.write(dir.resolve("tiny.vae"), "tiny", dims, params.toFloatArrays(), vocab,
                    TokenNormalizer.defaults(), 60, Map.of(), Map.of());
            assertEquals(dims.manifestLatent(), bundle.manifest().latent());
            assertEquals(decoder, bundle.manifest().architecture().decoderFamily());
            Posterior[] ref = djl.encode(sentences);
            float[][] z = new float[sentences.size()][];
            for (int i = 0; i < z.length; i++) {
                z[i] = ref[i].code();
                assertEquals(dims.codeDim(), z[i].length);
            }
            float[][] refLp = djl.tokenLogProbs(sentences, z);
            try (SentenceVae batched = SentenceVae.open(bundle, new SentenceVae.Options(0, 64));
                    SentenceVae single = SentenceVae.open(bundle, new SentenceVae.Options(1, 1))) {
                for (SentenceVae ort : List.of(batched, single)) {
                    Posterior[] got = ort.encode(sentences);
                    float[][] lp = ort.tokenLogProbs(sentences, z);
                    for (int i = 0; i < sentences.size(); i++) {
                        assertEquals(type, got[i].type());
                        float[] a = TrainingRun.location(ref[i]);
                        float[] b = TrainingRun.location(got[i]);
                        assertEquals(a.length, b.length);
                        for (int k = 0; k < a.length; k++) {
                            assertEquals(a[k], b[k], 1e-4, "posterior parameter " + k + " of sentence " + i);
                        }
                        if (ref[i] instanceof GaussianPosterior g) {
                            assertArrayEquals(g.logvar(), ((GaussianPosterior) got[i]).logvar(), 1e-4f, "logvar of sentence " + i);
                        }
                        double x = sum(refLp[i]);
                        double y = sum(lp[i]);
                        assertEquals(sentences.get(i).length, lp[i].length);
                        assertTrue(Math.abs(x - y) <= 1e-4 * Math.abs(x), "log p(x|z) of sentence " + i + ": djl " + x + " onnx " + y);
                    }
                }
            }
            if (!decoder.equals(TrainConfig.LSTM_DECODER)) {
                // The step graph gives the teacher-forced distribution step by step (for the bag of words whatever the previous token).
                try (io.latentnlp.models.runtime.SentenceGenerator gen = io.latentnlp.models.runtime.SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
                    int[] s = sentences.get(0);
                    SentenceGenerator.State state = null;
                    for (int t = 0; t < s.length; t++) {
                        SentenceGenerator.Step step = gen.step(new int[] {t == 0 ? Vocabulary.BOS_ID : s[t - 1]}, new boolean[] {t == 0},
                                new float[][] {z[0]}, state);
                        assertEquals(refLp[0][t], step.logProbs()[0][s[t]], 1e-4, "step " + t);
                        state = step.state();
                    }
                }
            }
        }
    }

    /** A decoder graph read back gives the tensors it was exported from, for every decoder layout. */
    @ParameterizedTest(name = "tied={0} decoder={1}")
    @CsvSource({"false, lstm", "true, lstm", "false, bow", "false, lstm-topic", "true, lstm-topic"})
    void theDecodersTensorsAreReadBackFromItsGraphExactly(boolean tied, String decoder) {
        Dims dims = new Dims(40, tied ? 24 : 12, 24, 5, LatentType.GAUSSIAN, 0);
        dims = tied ? dims.withTiedEmbeddings() : dims;
        dims = dims.withDecoder(decoder);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 11)) {
            Map<String, float[]> all = params.toFloatArrays();
            byte[] graph = io.latentnlp.training.export.OnnxExporter.export(dims, all).get(ModelBundle.DECODER);
            Map<String, float[]> back = io.latentnlp.training.export.OnnxExporter.decoderParameters(graph, dims);
            java.util.Set<String> decoderNames = new java.util.TreeSet<>();
            all.keySet().stream().filter(k -> k.startsWith("dec.")).forEach(decoderNames::add);
            assertEquals(decoderNames, new java.util.TreeSet<>(back.keySet()));
            for (String k : decoderNames) {
                assertArrayEquals(all.get(k), back.get(k), k);
            }
        }
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
