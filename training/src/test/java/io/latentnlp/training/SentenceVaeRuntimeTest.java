package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.LikelihoodEstimator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX Runtime model as callers use it: from several threads, closed twice, IWAE per sentence. */
class SentenceVaeRuntimeTest {

    private static ModelBundle bundle(Path dir) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(40);
        Dims dims = new Dims(vocab.size(), 8, 24, 3);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 5)) {
            return BundleExport.write(dir.resolve("m.vae"), "m", dims, params.toFloatArrays(), vocab, TokenNormalizer.defaults(), 30, Map.of(), Map.of());
        }
    }

    @Test
    void concurrentCallersGetTheSameResultsAsOneCaller(@TempDir Path dir) throws Exception {
        List<int[]> sentences = Fixtures.randomSentences(40, 30, 44, 9);
        try (SentenceVae vae = SentenceVae.open(bundle(dir), new SentenceVae.Options(1, 8))) {
            Posterior[] expected = vae.encode(sentences);
            double[] expectedIw = LikelihoodEstimator.logMarginal(vae, sentences, expected, 4, 1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<double[]>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        Posterior[] q = vae.encode(sentences);
                        for (int i = 0; i < q.length; i++) {
                            assertArrayEquals(((GaussianPosterior) expected[i]).mean(), ((GaussianPosterior) q[i]).mean());
                        }
                        return LikelihoodEstimator.logMarginal(vae, sentences, q, 4, 1);
                    }));
                }
                for (Future<double[]> f : futures) {
                    assertArrayEquals(expectedIw, f.get(), 1e-9);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aSentenceGetsTheSameIwaeEstimateWhateverItsBatch(@TempDir Path dir) throws Exception {
        List<int[]> sentences = Fixtures.randomSentences(10, 12, 44, 2);
        try (SentenceVae vae = SentenceVae.open(bundle(dir), SentenceVae.Options.defaults())) {
            Posterior[] q = vae.encode(sentences);
            double[] all = LikelihoodEstimator.logMarginal(vae, sentences, q, 16, 7);
            double[] one = LikelihoodEstimator.logMarginal(vae, sentences.subList(3, 4), new Posterior[] {q[3]}, 16, 7);
            assertEquals(all[3], one[0], 1e-4);
        }
    }

    @Test
    void closeIsIdempotentAndAClosedModelSaysSo(@TempDir Path dir) throws Exception {
        SentenceVae vae = SentenceVae.open(bundle(dir), SentenceVae.Options.defaults());
        vae.close();
        vae.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vae.encode(List.of(new int[] {Vocabulary.EOS_ID})));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void inputWithoutEndOfSentenceIsRejected(@TempDir Path dir) throws Exception {
        try (SentenceVae vae = SentenceVae.open(bundle(dir), SentenceVae.Options.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vae.encode(List.of(new int[] {5, 6})));
            assertTrue(e.getMessage().contains("must end with </s>"), e.getMessage());
        }
    }
}
