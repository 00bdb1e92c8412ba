package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.GaussianMath;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a one-dimensional latent, log p(x) = log int N(z; 0, 1) p(x|z) dz can be computed by
 * quadrature; the ELBO must lie below it and the IWAE estimate must approach it as K grows.
 * Runs on the ONNX Runtime path, the one users call. The ELBO uses the encoder's q(z|x); the
 * IWAE checks use a proposal built from the quadrature posterior (off-centre and wider than it),
 * because a random encoder's q can be so far from the posterior that no K within test time
 * converges, which would test the model rather than the estimator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IwaeExactTest {

    private static final double Z_MIN = -9;
    private static final double Z_STEP = 0.005;
    private static final int GRID = 3601;

    private SentenceVae vae;
    private List<int[]> sentences;
    private Posterior[] q;
    private double[] exact;
    /** A proposal near the true posterior (shifted by half a standard deviation, 1.5 times wider). */
    private Posterior[] proposal;

    @BeforeAll
    void exportOneDimensionalModel(@TempDir Path dir) throws Exception {
        Vocabulary vocab = Fixtures.vocabulary(20);
        Dims dims = new Dims(vocab.size(), 8, 24, 1);
        sentences = Fixtures.randomSentences(6, 8, vocab.size(), 3);
        ModelBundle bundle;
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, 17)) {
            // Make the decoder depend strongly on z, so that the posterior is not the prior.
            scale(params, "dec.init.w", 20);
            scale(params, "dec.out.w", 4);
            bundle = BundleExport.write(dir.resolve("d1.vae"), "d1", dims, params.toFloatArrays(), vocab, TokenNormalizer.defaults(), 20, Map.of(), Map.of());
        }
        vae = SentenceVae.open(bundle, new SentenceVae.Options(1, 512));
        q = vae.encode(sentences);
        exact = new double[sentences.size()];
        proposal = new Posterior[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            double[] logJoint = logPxGivenZOnGrid(sentences.get(i));
            for (int g = 0; g < GRID; g++) {
                logJoint[g] += GaussianMath.logStandardNormal(new float[] {(float) z(g)}) + Math.log(Z_STEP);
            }
            exact[i] = GaussianMath.logSumExp(logJoint);
            double mean = 0;
            double second = 0;
            for (int g = 0; g < GRID; g++) {
                double w = Math.exp(logJoint[g] - exact[i]);
                mean += w * z(g);
                second += w * z(g) * z(g);
            }
            double sd = Math.sqrt(second - mean * mean);
            proposal[i] = new GaussianPosterior(new float[] {(float) (mean + 0.5 * sd)}, new float[] {(float) Math.log(2.25 * sd * sd)});
        }
    }

    private static void scale(VaeParameters params, String name, float factor) {
        float[] w = params.get(name).toFloatArray();
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
        params.get(name).set(w);
    }

    @org.junit.jupiter.api.AfterAll
    void close() {
        vae.close();
    }

    private static double z(int g) {
        return Z_MIN + g * Z_STEP;
    }

    private double[] logPxGivenZOnGrid(int[] sentence) {
        List<int[]> rows = new ArrayList<>(Collections.nCopies(GRID, sentence));
        float[][] zs = new float[GRID][];
        for (int g = 0; g < GRID; g++) {
            zs[g] = new float[] {(float) z(g)};
        }
        return LikelihoodEstimator.rowSums(vae.tokenLogProbs(rows, zs));
    }

    @Test
    void elboLiesBelowTheExactLogLikelihood() {
        for (int i = 0; i < sentences.size(); i++) {
            // ELBO by quadrature too: int q(z) log p(x|z) dz - KL
            double[] lp = logPxGivenZOnGrid(sentences.get(i));
            double expected = 0;
            for (int g = 0; g < GRID; g++) {
                float[] zg = {(float) z(g)};
                expected += Math.exp(q[i].logDensity(zg)) * lp[g] * Z_STEP;
            }
            double elbo = expected - q[i].kl();
            assertTrue(elbo < exact[i], "sentence " + i + ": ELBO " + elbo + " must be below log p(x) " + exact[i]);
        }
    }

    @Test
    void iwaeEstimateRisesWithKOnAverage() {
        int[] ks = {1, 5, 50};
        double[] mean = new double[ks.length];
        int repeats = 20;
        for (int a = 0; a < ks.length; a++) {
            for (int seed = 0; seed < repeats; seed++) {
                double[] est = LikelihoodEstimator.logMarginal(vae, sentences, proposal, ks[a], seed);
                for (int i = 0; i < est.length; i++) {
                    mean[a] += (est[i] - exact[i]) / (repeats * est.length);
                }
            }
        }
        assertTrue(mean[0] < mean[1] && mean[1] < mean[2], "mean gap to log p(x) for K = 1, 5, 50: " + java.util.Arrays.toString(mean));
        // A lower bound in expectation: above log p(x) only by Monte Carlo and quadrature error.
        assertTrue(mean[2] < 0.03, "the IWAE bound is a lower bound on average: " + mean[2]);
    }

    @Test
    void iwaeWithAThousandSamplesIsWithinFiveHundredthsOfANat() {
        double[] est = LikelihoodEstimator.logMarginal(vae, sentences, proposal, 1000, 42);
        for (int i = 0; i < est.length; i++) {
            assertEquals(exact[i], est[i], 0.05, "sentence " + i);
        }
    }
}
