package io.latentnlp.models.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.Posterior;
import org.junit.jupiter.api.Test;

class VaeEvaluatorTest {

    @Test
    void activeUnitsCountDimensionsWhoseMeanVariesAcrossSentences() {
        Posterior[] q = new Posterior[100];
        for (int i = 0; i < q.length; i++) {
            // dim 0 varies (variance 0.25), dim 1 barely (variance 1e-4), dim 2 constant
            q[i] = new GaussianPosterior(new float[] {i % 2 == 0 ? 0.5f : -0.5f, i % 2 == 0 ? 0.01f : -0.01f, 3f}, new float[3]);
        }
        assertEquals(1, VaeEvaluator.activeUnits(q, 0.01));
    }

    @Test
    void mutualInformationIsZeroWhenEveryPosteriorIsThePriorAndLogTwoForTwoSeparatedClusters() {
        int n = 2000;
        Posterior[] prior = new Posterior[n];
        Posterior[] split = new Posterior[n];
        for (int i = 0; i < n; i++) {
            prior[i] = new GaussianPosterior(new float[] {0f}, new float[] {0f});
            // two far-apart, narrow posteriors: z identifies which half x came from, I = log 2
            split[i] = new GaussianPosterior(new float[] {i % 2 == 0 ? 20f : -20f}, new float[] {-4f});
        }
        // Monte Carlo estimator: standard error about sqrt(0.5 / n) = 0.016 here
        assertEquals(0.0, VaeEvaluator.mutualInformation(prior, 1), 0.06);
        assertEquals(Math.log(2), VaeEvaluator.mutualInformation(split, 1), 0.06);
        assertTrue(VaeEvaluator.mutualInformation(split, 2) > 0.6);
    }
}
