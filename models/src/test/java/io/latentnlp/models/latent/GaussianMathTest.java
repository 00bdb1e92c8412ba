package io.latentnlp.models.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianMathTest {

    @Test
    void closedFormKlMatchesMonteCarlo() {
        float[] mu = {0.5f, -1.2f, 0f, 2f};
        float[] logvar = {-0.3f, 0.4f, -2f, 0f};
        GaussianPosterior q = new GaussianPosterior(mu, logvar);
        SplittableRandom rng = new SplittableRandom(11);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            float[] z = GaussianMath.sample(q, rng);
            double v = GaussianMath.logNormal(z, mu, logvar) - GaussianMath.logStandardNormal(z);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double stderr = Math.sqrt((sumSq / n - mean * mean) / n);
        assertEquals(q.kl(), mean, 4 * stderr, "KL closed form " + q.kl() + " vs Monte Carlo " + mean + " +- " + stderr);
    }

    @Test
    void logSumExpIsStableForLargeAndEmptyInputs() {
        assertEquals(1000 + Math.log(2), GaussianMath.logSumExp(new double[] {1000, 1000}), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, GaussianMath.logSumExp(new double[] {Double.NEGATIVE_INFINITY}));
    }

    @Test
    void standardNormalDensityIntegratesToOne() {
        double step = 1e-3;
        double sum = 0;
        for (double z = -10; z <= 10; z += step) {
            sum += Math.exp(GaussianMath.logStandardNormal(new float[] {(float) z})) * step;
        }
        assertEquals(1.0, sum, 1e-6);
    }
}
