package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceGenerator.Generated;
import io.latentnlp.models.runtime.SentenceGenerator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeParameters;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The step decoder and the decoding algorithms on ONNX Runtime, from models trained for a few steps. */
@Tag("integration")
class GenerationTest {

    @TempDir
    Path dir;

    private ModelBundle bundle(LatentType type, int latentDim, int categories) throws Exception {
        return bundle(type, latentDim, categories, false);
    }

    private ModelBundle bundle(LatentType type, int latentDim, int categories, boolean tied) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(30);
        List<int[]> sentences = Fixtures.randomSentences(64, 12, vocab.size(), 5);
        TrainConfig cfg = Fixtures.tinyConfig().latentType(type).latentDim(latentDim).categories(categories).maxLength(20).epochs(1).maxStepsPerEpoch(4)
                .embeddingDim(tied ? 24 : 16).tieEmbeddings(tied).build();
        Dims dims = cfg.dims(vocab.size());
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 11)) {
            new VaeTrainer(cfg, params, dir.resolve("run-" + type + tied), false, new PrintStream(OutputStream.nullOutputStream()))
                    .train(sentences, sentences.subList(0, 8), r -> {});
            return BundleExport.write(dir.resolve(type + (tied ? "-tied" : "") + ".vae"), "gen", dims, params.toFloatArrays(), vocab, TokenNormalizer.defaults(), 20, Map.of(), Map.of());
        }
    }

    /** Stepping the step decoder through <s> x_1 .. x_n reproduces the full decoder's per-token log-probabilities. */
    @ParameterizedTest(name = "{0} tied={3}")
    @CsvSource({"GAUSSIAN, 4, 0, false", "BERNOULLI, 8, 0, false", "CATEGORICAL, 3, 4, false", "BERNOULLI, 8, 0, true"})
    void steppingReproducesTheFullDecoder(LatentType type, int latentDim, int categories, boolean tied) throws Exception {
        ModelBundle bundle = bundle(type, latentDim, categories, tied);
        assertEquals(tied, bundle.manifest().architecture().tiedEmbeddings());
        List<int[]> sentences = Fixtures.randomSentences(20, 15, bundle.vocabulary().size(), 9);
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults());
                SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
            Posterior[] q = vae.encode(sentences);
            float[][] z = Arrays.stream(q).map(Posterior::code).toArray(float[][]::new);
            float[][] full = vae.tokenLogProbs(sentences, z);
            int longest = sentences.stream().mapToInt(s -> s.length).max().orElseThrow();
            // all sentences stepped together, each until its own end
            SentenceGenerator.State state = null;
            int n = sentences.size();
            for (int t = 0; t < longest; t++) {
                int[] prev = new int[n];
                boolean[] reset = new boolean[n];
                for (int i = 0; i < n; i++) {
                    int[] s = sentences.get(i);
                    prev[i] = t == 0 ? Vocabulary.BOS_ID : s[Math.min(t, s.length) - 1];
                    reset[i] = t == 0;
                }
                SentenceGenerator.Step step = gen.step(prev, reset, z, state);
                state = step.state();
                for (int i = 0; i < n; i++) {
                    int[] s = sentences.get(i);
                    if (t < s.length) {
                        assertEquals(full[i][t], step.logProbs()[i][s[t]], 1e-4, "sentence " + i + ", token " + t);
                    }
                }
            }
        }
    }

    @Test
    void decodingIsDeterministicAndGreedyEqualsBeamOfWidthOne() throws Exception {
        ModelBundle bundle = bundle(LatentType.GAUSSIAN, 4, 0);
        float[][] z = new float[12][];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < z.length; i++) {
            z[i] = new float[4];
            for (int k = 0; k < 4; k++) {
                z[i][k] = (float) (rng.nextDouble() * 6 - 3);
            }
        }
        try (SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
            List<Generated> greedy = gen.greedy(z, 15);
            List<Generated> beam1 = gen.beam(z, 1, 15);
            for (int i = 0; i < z.length; i++) {
                assertArrayEquals(greedy.get(i).ids(), beam1.get(i).ids(), "code " + i);
                assertEquals(greedy.get(i).logProb(), beam1.get(i).logProb(), 1e-9);
                assertEquals(greedy.get(i).finished(), beam1.get(i).finished());
                assertTrue(greedy.get(i).ids().length <= 15);
            }
            assertEquals(text(greedy), text(gen.greedy(z, 15)));
            List<Generated> a = gen.sample(z, 1.0, 0.9, 15, 7);
            assertEquals(text(a), text(gen.sample(z, 1.0, 0.9, 15, 7)), "same seed, same samples");
            assertNotEquals(text(a), text(gen.sample(z, 1.0, 0.9, 15, 8)), "another seed, other samples");
            // a sequence's sample does not depend on the rest of the batch
            assertEquals(a.get(5).text(), gen.sample(Arrays.copyOfRange(z, 0, 6), 1.0, 0.9, 15, 7).get(5).text());
            List<Generated> beam4 = gen.beam(z, 4, 15);
            for (Generated g : beam4) {
                for (int id : g.ids()) {
                    assertTrue(id != Vocabulary.PAD_ID && id != Vocabulary.BOS_ID && id != Vocabulary.EOS_ID, "only real tokens are emitted");
                }
            }
        }
    }

    /** First-step samples follow the step decoder's distribution (chi-square at a fixed seed), and top-p never leaves the nucleus. */
    @Test
    void sampledFirstTokensFollowTheStepDistribution() throws Exception {
        ModelBundle bundle = bundle(LatentType.BERNOULLI, 8, 0);
        float[] code = {1, 0, 1, 1, 0, 0, 1, 0};
        int n = 20_000;
        float[][] z = new float[n][];
        Arrays.fill(z, code);
        try (SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
            float[] lp = gen.step(new int[] {Vocabulary.BOS_ID}, new boolean[] {true}, new float[][] {code}, null).logProbs()[0];
            for (double temperature : new double[] {1.0, 0.7}) {
                double[] p = SentenceGenerator.samplingDistribution(lp, temperature, 1.0);
                long[] counts = new long[p.length];
                for (Generated g : gen.sample(z, temperature, 1.0, 1, 42)) {
                    counts[g.ids().length == 0 ? Vocabulary.EOS_ID : g.ids()[0]]++;
                }
                // pool tokens expected fewer than 5 times into one cell
                double chi2 = 0;
                int cells = 0;
                double pooledExpected = 0;
                long pooledCount = 0;
                for (int v = 0; v < p.length; v++) {
                    double e = n * p[v];
                    if (e >= 5) {
                        chi2 += (counts[v] - e) * (counts[v] - e) / e;
                        cells++;
                    } else {
                        pooledExpected += e;
                        pooledCount += counts[v];
                    }
                }
                if (pooledExpected > 0) {
                    chi2 += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
                    cells++;
                }
                // chi-square quantile at 0.999 for cells - 1 degrees of freedom (Wilson-Hilferty)
                double df = cells - 1;
                double critical = df * Math.pow(1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df)), 3);
                assertTrue(chi2 < critical, "temperature " + temperature + ": chi-square " + chi2 + " over " + cells + " cells, critical " + critical);
                assertEquals(0, counts[Vocabulary.PAD_ID] + counts[Vocabulary.BOS_ID]);
            }
            double[] nucleus = SentenceGenerator.samplingDistribution(lp, 1.0, 0.5);
            for (Generated g : gen.sample(Arrays.copyOf(z, 2000), 1.0, 0.5, 1, 3)) {
                int v = g.ids().length == 0 ? Vocabulary.EOS_ID : g.ids()[0];
                assertTrue(nucleus[v] > 0, "token " + v + " lies outside the top-p 0.5 nucleus");
            }
        }
    }

    private static List<String> text(List<Generated> g) {
        return g.stream().map(Generated::text).toList();
    }
}
