package io.latentnlp.models.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentnlp.models.bundle.Manifest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentSpaceTest {

    @Test
    void priorCodesHaveTheDecodersShape() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] cat = LatentSpace.samplePrior(new Manifest.Latent(LatentType.CATEGORICAL, 3, 4), rng);
        assertEquals(12, cat.length);
        for (int g = 0; g < 3; g++) {
            float sum = 0;
            for (int k = 0; k < 4; k++) {
                sum += cat[g * 4 + k];
            }
            assertEquals(1f, sum, "one class per group");
        }
        int ones = 0;
        for (int i = 0; i < 2000; i++) {
            for (float b : LatentSpace.samplePrior(new Manifest.Latent(LatentType.BERNOULLI, 8), rng)) {
                assertEquals(0, b * (1 - b), "bits are 0 or 1");
                ones += (int) b;
            }
        }
        assertEquals(8000, ones, 300, "uniform bits");
    }

    @Test
    void interpolationsRunFromOneCodeToTheOther() {
        GaussianPosterior a = new GaussianPosterior(new float[] {0f, 2f}, new float[2]);
        GaussianPosterior b = new GaussianPosterior(new float[] {4f, -2f}, new float[2]);
        List<float[]> line = LatentSpace.interpolate(a, b, 5);
        assertArrayEquals(new float[] {0f, 2f}, line.get(0));
        assertArrayEquals(new float[] {2f, 0f}, line.get(2));
        assertArrayEquals(new float[] {4f, -2f}, line.get(4));
        BernoulliPosterior x = new BernoulliPosterior(new float[] {1f, 1f, -1f, -1f});
        BernoulliPosterior y = new BernoulliPosterior(new float[] {-1f, 1f, 1f, 1f});
        List<float[]> path = LatentSpace.interpolate(x, y, 4);
        assertArrayEquals(x.code(), path.get(0));
        assertArrayEquals(new float[] {0f, 1f, 0f, 0f}, path.get(1), "one of three differing bits changed");
        assertArrayEquals(y.code(), path.get(3));
        assertThrows(IllegalArgumentException.class, () -> LatentSpace.interpolate(a, x, 3));
    }

    @Test
    void discretePerturbationsChangeExactlyTheRequestedVariables() {
        SplittableRandom rng = new SplittableRandom(2);
        BernoulliPosterior q = new BernoulliPosterior(new float[] {1f, -1f, 2f, -3f, 1f, 1f, -1f, 0.5f});
        CategoricalPosterior c = new CategoricalPosterior(new float[] {3f, 0f, 0f, 0f, 5f, 0f, 1f, 0f, 0f}, 3);
        for (int trial = 0; trial < 50; trial++) {
            float[] z = LatentSpace.perturb(q, 0, 3, rng);
            int flipped = 0;
            for (int i = 0; i < z.length; i++) {
                flipped += z[i] != q.code()[i] ? 1 : 0;
            }
            assertEquals(3, flipped);
            float[] zc = LatentSpace.perturb(c, 0, 2, rng);
            int moved = 0;
            for (int g = 0; g < 3; g++) {
                boolean same = true;
                float sum = 0;
                for (int k = 0; k < 3; k++) {
                    same &= zc[g * 3 + k] == c.code()[g * 3 + k];
                    sum += zc[g * 3 + k];
                }
                assertEquals(1f, sum);
                moved += same ? 0 : 1;
            }
            assertEquals(2, moved);
        }
    }
}
