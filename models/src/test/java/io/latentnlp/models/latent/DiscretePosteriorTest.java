package io.latentnlp.models.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.hash.SemanticHash;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscretePosteriorTest {

    private static final int SAMPLES = 200_000;

    private static float[] randomLogits(int n, double scale, SplittableRandom rng) {
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            l[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return l;
    }

    /** KL(q || p) = E_q[log q(z) - log p(z)]: the closed form must sit within 4 standard errors of the Monte Carlo mean. */
    private static void assertKlMatchesMonteCarlo(Posterior q, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        double sumSq = 0;
        for (int s = 0; s < SAMPLES; s++) {
            float[] z = q.sample(rng);
            double r = q.logDensity(z) - q.logPrior(z);
            sum += r;
            sumSq += r * r;
        }
        double mean = sum / SAMPLES;
        double se = Math.sqrt((sumSq / SAMPLES - mean * mean) / SAMPLES);
        assertTrue(Math.abs(mean - q.kl()) <= 4 * se + 1e-9, q + ": closed-form KL " + q.kl() + ", Monte Carlo " + mean + " +- " + se);
    }

    @Test
    void bernoulliKlMatchesMonteCarlo() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 3; trial++) {
            assertKlMatchesMonteCarlo(new BernoulliPosterior(randomLogits(8, 4, rng)), trial);
        }
        // extreme logits stay finite and reach log 2 per bit
        BernoulliPosterior sure = new BernoulliPosterior(new float[] {60f, -60f});
        assertEquals(2 * Math.log(2), sure.kl(), 1e-9);
        assertEquals(0, new BernoulliPosterior(new float[] {0f, 0f, 0f}).kl(), 1e-12);
    }

    @Test
    void categoricalKlMatchesMonteCarlo() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 3; trial++) {
            assertKlMatchesMonteCarlo(new CategoricalPosterior(randomLogits(4 * 5, 3, rng), 5), 10 + trial);
        }
        CategoricalPosterior sure = new CategoricalPosterior(new float[] {0f, 80f, 0f, 0f}, 4);
        assertEquals(Math.log(4), sure.kl(), 1e-9);
    }

    @Test
    void discreteDensitiesSumToOneOverAllCodesAndMatchSamplingFrequencies() {
        SplittableRandom rng = new SplittableRandom(3);
        BernoulliPosterior b = new BernoulliPosterior(randomLogits(3, 2, rng));
        CategoricalPosterior c = new CategoricalPosterior(randomLogits(2 * 3, 2, rng), 3);
        double total = 0;
        for (int code = 0; code < 8; code++) {
            float[] z = {code >> 2 & 1, code >> 1 & 1, code & 1};
            total += Math.exp(b.logDensity(z));
        }
        assertEquals(1.0, total, 1e-9);
        total = 0;
        for (int a = 0; a < 3; a++) {
            for (int d = 0; d < 3; d++) {
                float[] z = new float[6];
                z[a] = 1;
                z[3 + d] = 1;
                total += Math.exp(c.logDensity(z));
            }
        }
        assertEquals(1.0, total, 1e-9);
        // E_q[z] estimated from samples matches expectation()
        double[] freq = new double[6];
        for (int s = 0; s < SAMPLES; s++) {
            float[] z = c.sample(rng);
            for (int i = 0; i < 6; i++) {
                freq[i] += z[i];
            }
        }
        float[] p = c.expectation();
        for (int i = 0; i < 6; i++) {
            assertEquals(p[i], freq[i] / SAMPLES, 4 * Math.sqrt(p[i] * (1 - p[i]) / SAMPLES) + 1e-9, "class frequency " + i);
        }
    }

    @Test
    void codesAreTheModesAndEntropiesAreConsistent() {
        BernoulliPosterior b = new BernoulliPosterior(new float[] {2f, -1f, 0f});
        assertArrayEquals(new float[] {1f, 0f, 1f}, b.code());
        assertEquals(b.kl() - 3 * Math.log(2), b.negativeEntropy(), 1e-12);
        CategoricalPosterior c = new CategoricalPosterior(new float[] {0f, 3f, 1f, 5f, 5f, 2f}, 3);
        assertArrayEquals(new int[] {1, 0}, c.argmax());
        assertArrayEquals(new float[] {0f, 1f, 0f, 1f, 0f, 0f}, c.code());
    }

    @Test
    void categoricalHashesPackTheArgmaxClassesMostSignificantBitFirst() {
        SplittableRandom rng = new SplittableRandom(4);
        Manifest.Latent latent = new Manifest.Latent(LatentType.CATEGORICAL, 6, 16);
        Manifest.Hash spec = LatentHasher.discreteSpec(latent);
        assertEquals(24, spec.bits());
        assertNull(LatentHasher.mismatch(spec, latent));
        for (int trial = 0; trial < 100; trial++) {
            CategoricalPosterior q = new CategoricalPosterior(randomLogits(6 * 16, 5, rng), 16);
            SemanticHash h = LatentHasher.hash(spec, q);
            int[] argmax = q.argmax();
            for (int g = 0; g < 6; g++) {
                int unpacked = 0;
                for (int j = 0; j < 4; j++) {
                    unpacked = unpacked << 1 | (h.bit(g * 4 + j) ? 1 : 0);
                }
                assertEquals(argmax[g], unpacked, "group " + g);
            }
            // and one hex digit per group, since a group takes exactly 4 bits
            assertEquals(Integer.toHexString(argmax[0]), h.toHex().substring(0, 1));
        }
    }

    @Test
    void bernoulliHashBitIsOneExactlyWhenQIsAtLeastHalf() {
        Manifest.Latent latent = new Manifest.Latent(LatentType.BERNOULLI, 4);
        SemanticHash h = LatentHasher.hash(LatentHasher.discreteSpec(latent), new BernoulliPosterior(new float[] {0f, -1e-6f, 3f, -3f}));
        assertEquals("a", h.toHex());
    }

    @Test
    void hashSpecsThatDoNotFitTheLatentAreNamed() {
        Manifest.Latent bern = new Manifest.Latent(LatentType.BERNOULLI, 16);
        assertTrue(LatentHasher.mismatch(new Manifest.Hash(Manifest.Hash.POSTERIOR_MODE, 32, null), bern).contains("expected posterior-mode with 16 bits"));
        assertTrue(LatentHasher.mismatch(new Manifest.Hash(Manifest.Hash.MEDIAN_THRESHOLD, 16, new float[16]), bern).contains("needs a gaussian latent"));
        assertTrue(LatentHasher.mismatch(new Manifest.Hash("lsh", 16, null), bern).contains("unknown hash method 'lsh'"));
        Manifest.Latent odd = new Manifest.Latent(LatentType.CATEGORICAL, 4, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LatentHasher.discreteSpec(odd)).getMessage().contains("power of two"));
    }

    @Test
    void mutualInformationAndActiveUnitsWorkForDiscretePosteriors() {
        // Half the sentences are sure their bits are 1..., the other half 0...: MI = log 2, every bit active.
        Posterior[] split = new Posterior[200];
        Posterior[] uninformative = new Posterior[2000];
        for (int i = 0; i < split.length; i++) {
            float v = i % 2 == 0 ? 30f : -30f;
            split[i] = new BernoulliPosterior(new float[] {v, v, v});
        }
        java.util.Arrays.fill(uninformative, new BernoulliPosterior(new float[] {0.3f, -2f, 1f}));
        assertEquals(Math.log(2), VaeEvaluator.mutualInformation(split, 1), 1e-6);
        assertEquals(3, VaeEvaluator.activeUnits(split, 0.01));
        // identical posteriors: the true MI is 0; the one-sample estimator's noise is ~1/sqrt(N)
        assertEquals(0, VaeEvaluator.mutualInformation(uninformative, 1), 0.1);
        assertEquals(0, VaeEvaluator.activeUnits(uninformative, 0.01));
        // Four sure classes used equally: MI = log 4.
        Posterior[] cats = new Posterior[400];
        for (int i = 0; i < cats.length; i++) {
            float[] l = new float[4];
            l[i % 4] = 40f;
            cats[i] = new CategoricalPosterior(l, 4);
        }
        assertEquals(Math.log(4), VaeEvaluator.mutualInformation(cats, 1), 1e-6);
        assertEquals(1, VaeEvaluator.activeUnits(cats, 0.01));
    }
}
