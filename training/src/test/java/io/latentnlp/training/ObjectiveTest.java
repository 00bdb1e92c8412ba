package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.latent.GaussianMath;
import io.latentnlp.training.model.Objective;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObjectiveTest {

    @Test
    void closedFormKlOfTheTrainingObjectiveMatchesMonteCarlo() {
        float[] mu = {0.8f, -1.5f, 0.1f};
        float[] logvar = {-1.0f, 0.5f, -0.2f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray kl = Objective.klPerDimension(m.create(mu, new Shape(1, 3)), m.create(logvar, new Shape(1, 3))).sum();
            double closed = kl.getFloat();
            // Monte Carlo: z from the same reparameterization the objective uses.
            int n = 100_000;
            NDArray eps = Objective.gaussianNoise(m, new Shape(n, 3), new SplittableRandom(5));
            NDArray z = Objective.reparameterize(m.create(mu).broadcast(new Shape(n, 3)), m.create(logvar).broadcast(new Shape(n, 3)), eps);
            float[] zs = z.toFloatArray();
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                float[] zi = {zs[3 * i], zs[3 * i + 1], zs[3 * i + 2]};
                double v = GaussianMath.logNormal(zi, mu, logvar) - GaussianMath.logStandardNormal(zi);
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / n;
            double stderr = Math.sqrt((sumSq / n - mean * mean) / n);
            assertEquals(closed, mean, 4 * stderr, "closed form " + closed + " vs Monte Carlo " + mean + " +- " + stderr);
            assertEquals(GaussianMath.kl(mu, logvar), closed, 1e-5);
        }
    }

    @Test
    void freeBitsGiveNoKlGradientToDimensionsBelowLambda() {
        // Dimension 0 and 2 are far from the prior (KL >> lambda); dimension 1 is close (KL << lambda).
        float[] mu = {2f, 0.05f, -1.5f, 1.8f, -0.05f, 1.2f};
        float[] logvar = {-1f, 0f, 0.5f, -0.5f, 0.01f, 0f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.create(mu, new Shape(2, 3));
            NDArray lv = m.create(logvar, new Shape(2, 3));
            mean.setRequiresGradient(true);
            lv.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray klDim = Objective.klPerDimension(mean, lv);
                float[] perDim = klDim.mean(new int[] {0}).toFloatArray();
                assertTrue(perDim[1] < 0.5 && perDim[0] > 0.5 && perDim[2] > 0.5, "fixture KLs " + java.util.Arrays.toString(perDim));
                gc.backward(Objective.klPenalty(klDim, 0.5));
            }
            float[] gMu = mean.getGradient().toFloatArray();
            float[] gLv = lv.getGradient().toFloatArray();
            for (int b = 0; b < 2; b++) {
                assertEquals(0f, Math.abs(gMu[b * 3 + 1]), "mu gradient of the dimension below lambda, row " + b);
                assertEquals(0f, Math.abs(gLv[b * 3 + 1]), "logvar gradient of the dimension below lambda, row " + b);
                assertTrue(Math.abs(gMu[b * 3]) > 1e-3 && Math.abs(gMu[b * 3 + 2]) > 1e-3, "dimensions above lambda keep their gradient");
            }
        }
    }

    @Test
    void iwaeLossWithOneSampleIsTheNegativeElboAndFallsAsKGrows() {
        io.latentnlp.training.model.Dims dims = new io.latentnlp.training.model.Dims(30, 8, 24, 2);
        java.util.List<int[]> sentences = Fixtures.randomSentences(8, 6, 30, 4);
        io.latentnlp.training.model.Batch batch = io.latentnlp.training.model.Batch.of(sentences);
        int n = 100;
        double[] elbo = new double[n];
        double[] iw1 = new double[n];
        double[] iw8 = new double[n];
        try (NDManager root = NDManager.newBaseManager();
                io.latentnlp.training.model.VaeParameters p = io.latentnlp.training.model.VaeParameters.initialize(root, dims, 2)) {
            // A decoder that depends on z, so that the bounds differ.
            for (String name : new String[] {"dec.init.w", "dec.out.w"}) {
                float[] w = p.get(name).toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    w[i] *= name.equals("dec.init.w") ? 20 : 4;
                }
                p.get(name).set(w);
            }
            io.latentnlp.training.model.VaeNetwork net = new io.latentnlp.training.model.VaeNetwork(p);
            for (int s = 0; s < n; s++) {
                try (NDManager m = root.newSubManager()) {
                    elbo[s] = Objective.negativeElbo(m, net, batch, 1.0, 0, 0, new SplittableRandom(s)).loss().getFloat();
                    iw1[s] = Objective.negativeIwae(m, net, batch, 1, 0, new SplittableRandom(10_000 + s)).loss().getFloat();
                    iw8[s] = Objective.negativeIwae(m, net, batch, 8, 0, new SplittableRandom(20_000 + s)).loss().getFloat();
                }
            }
        }
        double[] e = meanAndStderr(elbo);
        double[] a = meanAndStderr(iw1);
        double[] b = meanAndStderr(iw8);
        // Same expectation (the IWAE bound at K = 1 is the ELBO); only the KL estimator differs.
        assertEquals(e[0], a[0], 4 * Math.hypot(e[1], a[1]), "ELBO " + e[0] + " vs IWAE K=1 " + a[0]);
        assertTrue(b[0] < a[0] - 4 * Math.hypot(a[1], b[1]), "IWAE loss K=8 " + b[0] + " must be below K=1 " + a[0]);
    }

    private static double[] meanAndStderr(double[] v) {
        double s = 0;
        double sq = 0;
        for (double x : v) {
            s += x;
            sq += x * x;
        }
        double mean = s / v.length;
        return new double[] {mean, Math.sqrt((sq / v.length - mean * mean) / v.length)};
    }

    @Test
    void withoutFreeBitsEveryDimensionGetsItsKlGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.create(new float[] {0.05f, 2f}, new Shape(1, 2));
            NDArray lv = m.create(new float[] {0f, 0f}, new Shape(1, 2));
            mean.setRequiresGradient(true);
            lv.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Objective.klPenalty(Objective.klPerDimension(mean, lv), 0));
            }
            float[] g = mean.getGradient().toFloatArray();
            // d KL / d mu = mu
            assertEquals(0.05f, g[0], 1e-6);
            assertEquals(2f, g[1], 1e-6);
        }
    }
}
