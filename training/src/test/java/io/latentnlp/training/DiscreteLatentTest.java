package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.CategoricalPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.training.model.CategoricalEstimator;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.LatentSampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The discrete estimators of the lecture, on the real DJL engine. */
class DiscreteLatentTest {

    private static final Dims CATEGORICAL = new Dims(10, 4, 24, 1, LatentType.CATEGORICAL, 5);

    private static float[] random(int n, double scale, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    @Test
    void straightThroughPassesTheGradientWithRespectToZTildeToQUnchanged() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 64;
        float[] c = random(n, 3, rng);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(random(n, 0.5, rng), new Shape(n)).add(0.5f);
            q.setRequiresGradient(true);
            NDArray u = LatentSampler.uniform(m, new Shape(n), rng);
            float[] zTilde;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray z = LatentSampler.straightThrough(q, u);
                zTilde = z.toFloatArray();
                // a nonlinear loss: dL/dz~ = 2 c z~, evaluated at the hard sample
                gc.backward(z.square().mul(m.create(c)).sum());
            }
            float[] grad = q.getGradient().toFloatArray();
            float[] qs = q.toFloatArray();
            float[] us = u.toFloatArray();
            int ones = 0;
            for (int i = 0; i < n; i++) {
                float hard = us[i] < qs[i] ? 1f : 0f;
                assertEquals(hard, zTilde[i], 1e-6, "forward value of bit " + i + " must be the hard sample");
                assertEquals(2 * c[i] * hard, grad[i], 1e-5, "gradient reaching q_" + i);
                ones += (int) hard;
            }
            assertTrue(ones > 5 && ones < n - 5, "the fixture must sample both values, got " + ones + " ones");
        }
    }

    @Test
    void straightThroughBernoulliChainsThroughTheSigmoid() {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 32;
        float[] c = random(n, 1, rng);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(random(n, 3, rng));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(LatentSampler.straightThroughBernoulli(logits, LatentSampler.uniform(m, new Shape(n), rng)).mul(m.create(c)).sum());
            }
            float[] g = logits.getGradient().toFloatArray();
            float[] l = logits.toFloatArray();
            for (int i = 0; i < n; i++) {
                double q = 1 / (1 + Math.exp(-l[i]));
                assertEquals(c[i] * q * (1 - q), g[i], 1e-5, "d/dlogit " + i);
            }
        }
    }

    /** Gumbel-max: argmax(logits + g) is distributed as softmax(logits). Chi-square at a fixed seed. */
    @Test
    void straightThroughGumbelSamplesFollowTheSoftmax() {
        int n = 40_000;
        float[] logits = {1.0f, -0.5f, 0.2f, 2.0f, -1.5f};
        LatentSampler st = new LatentSampler(CATEGORICAL, CategoricalEstimator.STRAIGHT_THROUGH_GUMBEL, 0.9);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(logits).broadcast(new Shape(n, 5));
            float[] y = st.gumbelSoftmax(l, LatentSampler.gumbel(m, new Shape(n, 5), new SplittableRandom(7))).toFloatArray();
            long[] counts = new long[5];
            for (int i = 0; i < n; i++) {
                float rowSum = 0;
                for (int k = 0; k < 5; k++) {
                    float v = y[i * 5 + k];
                    assertTrue(Math.abs(v) < 1e-5 || Math.abs(v - 1) < 1e-5, "straight-through forward values are one-hot, got " + v);
                    rowSum += v;
                    if (v > 0.5f) {
                        counts[k]++;
                    }
                }
                assertEquals(1f, rowSum, 1e-5);
            }
            double max = 2.0; // the largest logit, for a stable softmax
            double z = 0;
            for (float v : logits) {
                z += Math.exp(v - max);
            }
            double chi2 = 0;
            for (int k = 0; k < 5; k++) {
                double expected = n * Math.exp(logits[k] - max) / z;
                chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
            }
            // 4 degrees of freedom: P(chi2 > 18.47) = 0.001
            assertTrue(chi2 < 18.47, "chi-square " + chi2 + " for counts " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void gumbelSoftmaxApproachesOneHotAsTauGoesToZero() {
        int n = 2000;
        SplittableRandom rng = new SplittableRandom(3);
        float[] logits = random(n * 5, 2, rng);
        double previous = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(logits, new Shape(n, 5));
            NDArray g = LatentSampler.gumbel(m, new Shape(n, 5), new SplittableRandom(4));
            float[] hard = new LatentSampler(CATEGORICAL, CategoricalEstimator.STRAIGHT_THROUGH_GUMBEL, 1.0).gumbelSoftmax(l, g).toFloatArray();
            for (double tau : new double[] {5.0, 1.0, 0.3, 0.1, 0.01}) {
                float[] y = new LatentSampler(CATEGORICAL, CategoricalEstimator.GUMBEL_SOFTMAX, tau).gumbelSoftmax(l, g).toFloatArray();
                double meanDistance = 0;
                for (int i = 0; i < y.length; i++) {
                    meanDistance += Math.abs(y[i] - hard[i]);
                }
                meanDistance /= n;
                double closeness = 1 - meanDistance / 2;
                assertTrue(closeness > previous, "tau " + tau + ": closeness to one-hot " + closeness + " must grow as tau falls (was " + previous + ")");
                previous = closeness;
            }
            assertTrue(previous > 0.99, "at tau 0.01 the relaxed sample is within 1% of the one-hot (got " + previous + ")");
        }
    }

    @Test
    void trainingKlsEqualTheRuntimeClosedForms() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] bern = random(2 * 6, 5, rng);
        float[] cat = random(2 * 3 * 4, 4, rng);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] klB = LatentSampler.bernoulliKl(m.create(bern, new Shape(2, 6))).sum(new int[] {1}).toFloatArray();
            NDArray klCDim = LatentSampler.categoricalKl(m.create(cat, new Shape(2, 12)), 4);
            assertEquals(new Shape(2, 3), klCDim.getShape());
            float[] klC = klCDim.sum(new int[] {1}).toFloatArray();
            for (int b = 0; b < 2; b++) {
                assertEquals(new BernoulliPosterior(java.util.Arrays.copyOfRange(bern, b * 6, b * 6 + 6)).kl(), klB[b], 1e-4);
                assertEquals(new CategoricalPosterior(java.util.Arrays.copyOfRange(cat, b * 12, b * 12 + 12), 4).kl(), klC[b], 1e-4);
            }
        }
    }

    @Test
    void samplersProduceCodesOfTheDecodersWidth() {
        try (NDManager m = NDManager.newBaseManager()) {
            Dims cat = new Dims(10, 4, 24, 3, LatentType.CATEGORICAL, 4);
            NDArray z = new LatentSampler(cat, CategoricalEstimator.GUMBEL_SOFTMAX, 0.9).sample(m, new NDList(m.zeros(new Shape(5, 12))), new SplittableRandom(1));
            assertEquals(new Shape(5, 12), z.getShape());
            float[] sums = z.reshape(5, 3, 4).sum(new int[] {2}).toFloatArray();
            float[] ones = new float[15];
            java.util.Arrays.fill(ones, 1f);
            assertArrayEquals(ones, sums, 1e-5f, "each group of a relaxed code lies on the simplex");
        }
    }
}
