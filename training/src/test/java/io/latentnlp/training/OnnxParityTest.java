package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.Posterior;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.TokenNormalizer;
import io.latentnlp.models.Vocabulary;
import io.latentnlp.training.export.BundleExport;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxParityTest {

    @Test
    void onnxRuntimeMatchesDjlOnPaddedAndSingleSentences(@TempDir Path dir) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(60);
        Dims dims = new Dims(vocab.size(), 16, 24, 5);
        List<int[]> sentences = Fixtures.randomSentences(60, 60, vocab.size(), 7);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 3)) {
            DjlScorer djl = new DjlScorer(new VaeNetwork(params), root);
            ModelBundle bundle = BundleExport.write(dir.resolve("tiny.vae"), "tiny", dims, params.toFloatArrays(), vocab,
                    TokenNormalizer.defaults(), 60, Map.of(), Map.of());
            Posterior[] ref = djl.encode(sentences);
            float[][] z = new float[sentences.size()][];
            for (int i = 0; i < z.length; i++) {
                z[i] = ref[i].mean();
            }
            float[][] refLp = djl.tokenLogProbs(sentences, z);
            try (SentenceVae batched = SentenceVae.open(bundle, new SentenceVae.Options(1, 64));
                    SentenceVae single = SentenceVae.open(bundle, new SentenceVae.Options(1, 1))) {
                for (SentenceVae ort : List.of(batched, single)) {
                    Posterior[] got = ort.encode(sentences);
                    float[][] lp = ort.tokenLogProbs(sentences, z);
                    for (int i = 0; i < sentences.size(); i++) {
                        for (int k = 0; k < dims.latent(); k++) {
                            assertEquals(ref[i].mean()[k], got[i].mean()[k], 1e-4, "mean of sentence " + i);
                            assertEquals(ref[i].logvar()[k], got[i].logvar()[k], 1e-4, "logvar of sentence " + i);
                        }
                        double a = sum(refLp[i]);
                        double b = sum(lp[i]);
                        assertEquals(sentences.get(i).length, lp[i].length);
                        assertTrue(Math.abs(a - b) <= 1e-4 * Math.abs(a), "log p(x|z) of sentence " + i + ": djl " + a + " onnx " + b);
                    }
                }
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
