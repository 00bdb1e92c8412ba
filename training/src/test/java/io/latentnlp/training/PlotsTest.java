package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.Pca;
import io.latentnlp.training.report.TrainingPlots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @Test
    void pcaFindsOrthogonalDirectionsOfDecreasingVariance() {
        SplittableRandom rng = new SplittableRandom(1);
        float[][] x = new float[2000][4];
        for (float[] row : x) {
            double a = 5 * io.latentnlp.models.latent.GaussianMath.gaussian(rng);
            double b = 2 * io.latentnlp.models.latent.GaussianMath.gaussian(rng);
            row[0] = (float) (a + 0.1 * io.latentnlp.models.latent.GaussianMath.gaussian(rng));
            row[1] = (float) (a + 0.1 * io.latentnlp.models.latent.GaussianMath.gaussian(rng));
            row[2] = (float) b;
            row[3] = (float) (0.1 * io.latentnlp.models.latent.GaussianMath.gaussian(rng));
        }
        double[][] c = Pca.fit(x, 2).directions();
        assertEquals(1 / Math.sqrt(2), Math.abs(c[0][0]), 0.01, "first direction: (1, 1, 0, 0) / sqrt 2");
        assertEquals(1 / Math.sqrt(2), Math.abs(c[0][1]), 0.01);
        assertEquals(1, Math.abs(c[1][2]), 0.01, "second direction: axis 2");
        double dot = 0;
        for (int i = 0; i < 4; i++) {
            dot += c[0][i] * c[1][i];
        }
        assertEquals(0, dot, 1e-9, "orthogonal");
    }

    @Test
    void curvesAndProjectionsAreWrittenFromARun(@TempDir Path dir) throws Exception {
        TrainConfig cfg = Fixtures.tinyConfig().epochs(2).build();
        Path train = Fixtures.labelledTopicCorpus(dir.resolve("train.tsv"), 20, 8, 1);
        TrainingRun.Result r = TrainingRun.run(cfg, new TrainingRun.Inputs(train, train, null), dir.resolve("run"), "p", null, false, "test",
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<Path> pngs = TrainingPlots.curves(r.runDir(), dir.resolve("plots/p").toString());
        assertEquals(3, pngs.size());
        for (Path p : pngs) {
            assertTrue(Files.size(p) > 5000, p + " is a real chart");
        }
        SplittableRandom rng = new SplittableRandom(2);
        float[][] points = new float[100][3];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < 3; j++) {
                points[i][j] = (float) rng.nextDouble();
            }
            labels.add(i % 2 == 0 ? "a" : "b");
        }
        TrainingPlots.projection(points, labels, "t", dir.resolve("plots/pca.png"));
        assertTrue(Files.size(dir.resolve("plots/pca.png")) > 5000);
    }
}
