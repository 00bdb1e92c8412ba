package io.latentnlp.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.LatentSampler;
import io.latentnlp.training.model.NeighborLoss;
import io.latentnlp.training.model.Objective;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The neighbourhood-preserving loss of issue 24: its value, its place in the objective, its gradient and its checks. */
class NeighborLossTest {

    private static List<float[]> clusters(int n, int f, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] centres = new float[k][f];
        for (float[] c : centres) {
            for (int j = 0; j < f; j++) {
                c[j] = (float) rng.nextGaussian();
            }
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[f];
            for (int j = 0; j < f; j++) {
                x[j] = centres[i % k][j] + (float) (0.3 * rng.nextGaussian());
            }
            out.add(x);
        }
        return out;
    }

    @Test
    void theLossIsTheCrossEntropyOfTheCodesNeighbourhoodsAgainstTheBackbonesPlusQuantization() {
        List<float[]> rows = clusters(7, 4, 2, 3);
        NeighborLoss.Settings s = new NeighborLoss.Settings(1.5, 5, 0.2, 0.3, 0.5, 0.25);
        NeighborLoss loss = new NeighborLoss(s, rows);
        float[][] w = {{0.3f, -0.2f}, {0.1f, 0.4f}, {-0.5f, 0.2f}, {0.2f, 0.1f}};
        try (NDManager m = NDManager.newBaseManager()) {
            double got = loss.loss(m, x -> x.matMul(m.create(new float[] {0.3f, -0.2f, 0.1f, 0.4f, -0.5f, 0.2f, 0.2f, 0.1f}, new Shape(4, 2))),
                    new SplittableRandom(11)).getFloat();
            // The same batch by hand: the loss draws its rows with the generator it is given.
            SplittableRandom rng = new SplittableRandom(11);
            int[] pick = new int[5];
            for (int i = 0; i < 5; i++) {
                pick[i] = rng.nextInt(rows.size());
            }
            double[] mean = new double[4];
            for (float[] r : rows) {
                for (int j = 0; j < 4; j++) {
                    mean[j] += r[j] / rows.size();
                }
            }
            double[][] u = new double[5][4];
            double[][] h = new double[5][2];
            for (int i = 0; i < 5; i++) {
                float[] x = rows.get(pick[i]);
                double norm = 0;
                for (int j = 0; j < 4; j++) {
                    u[i][j] = x[j] - mean[j];
                    norm += u[i][j] * u[i][j];
                }
                for (int j = 0; j < 4; j++) {
                    u[i][j] /= Math.sqrt(norm);
                }
                for (int b = 0; b < 2; b++) {
                    double mu = 0;
                    for (int j = 0; j < 4; j++) {
                        mu += x[j] * w[j][b];
                    }
                    h[i][b] = Math.tanh(mu / 0.5);
                }
            }
            double ce = 0;
            double quant = 0;
            for (int i = 0; i < 5; i++) {
                double pz = 0;
                double qz = 0;
                double[] p = new double[5];
                double[] q = new double[5];
                for (int j = 0; j < 5; j++) {
                    if (j == i) {
                        continue;
                    }
                    double sim = 0;
                    for (int a = 0; a < 4; a++) {
                        sim += u[i][a] * u[j][a];
                    }
                    p[j] = Math.exp(sim / 0.2);
                    q[j] = Math.exp((h[i][0] * h[j][0] + h[i][1] * h[j][1]) / (2 * 0.3));
                    pz += p[j];
                    qz += q[j];
                }
                for (int j = 0; j < 5; j++) {
                    if (j != i) {
                        ce -= p[j] / pz * Math.log(q[j] / qz) / 5;
                    }
                }
                for (int b = 0; b < 2; b++) {
                    quant += Math.pow(Math.abs(h[i][b]) - 1, 2) / 10;
                }
            }
            assertEquals(1.5 * (ce + 0.25 * quant), got, 1e-4);
        }
    }

    @Test
    void theObjectiveAddsItAndAGradientStepOnTheHeadLowersIt() {
        Vocabulary vocab = Fixtures.vocabulary(12);
        int f = 6;
        Dims dims = new Dims(vocab.size(), 8, 24, 4, LatentType.GAUSSIAN, 0).withPretrainedEncoder(f);
        List<float[]> rows = clusters(64, f, 4, 5);
        List<int[]> sentences = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            sentences.add(new int[] {5 + i % 6, Vocabulary.EOS_ID});
        }
        FeatureTable features = new FeatureTable(f);
        features.putAll(sentences, rows.toArray(new float[0][]));
        NeighborLoss loss = new NeighborLoss(new NeighborLoss.Settings(2, 32, 0.1, 0.2, 0.5, 0.1), rows);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, dims, 5)) {
            VaeNetwork plain = new VaeNetwork(p, features);
            VaeNetwork shaped = new VaeNetwork(p, features);
            shaped.neighbors(loss);
            Batch batch = Batch.of(sentences.subList(0, 4));
            LatentSampler sampler = LatentSampler.of(dims);
            try (NDManager m = root.newSubManager()) {
                double without = Objective.negativeElbo(m, plain, batch, sampler, 1, 0, 0, new SplittableRandom(1)).loss().getFloat();
                // The ELBO draws its noise first, then the neighbor loss its batch: replay the generator to the same point.
                SplittableRandom replay = new SplittableRandom(1);
                sampler.sample(m, plain.encode(m, batch), replay);
                double expected = shaped.neighborLoss(m, replay).getFloat();
                double with = Objective.negativeElbo(m, shaped, batch, sampler, 1, 0, 0, new SplittableRandom(1)).loss().getFloat();
                assertEquals(expected, with - without, 1e-3);
            }
            // The ELBO with the loss: every gradient is finite (the encoder's log-variance included).
            try (NDManager m = root.newSubManager(); GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(Objective.negativeElbo(m, shaped, batch, sampler, 1, 0, 0, new SplittableRandom(3)).loss());
                for (var e : p.all().entrySet()) {
                    if (e.getValue().hasGradient()) {
                        float[] g = e.getValue().getGradient().toFloatArray();
                        for (float v : g) {
                            assertTrue(Float.isFinite(v), e.getKey() + " has a non-finite gradient");
                        }
                        e.getValue().getGradient().muli(0);
                    }
                }
            }
            // Plain gradient descent on the loss alone, same batches each time: it falls.
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 30; step++) {
                try (NDManager m = root.newSubManager(); GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray l = shaped.neighborLoss(m, new SplittableRandom(7));
                    gc.backward(l);
                    if (step == 0) {
                        first = l.getFloat();
                    }
                    last = l.getFloat();
                }
                for (NDArray param : p.all().values()) {
                    if (param.hasGradient()) {
                        NDArray g = param.getGradient();
                        param.subi(g.mul(0.5f));
                        g.muli(0);
                    }
                }
            }
            assertTrue(last < first - 0.05, "loss " + first + " -> " + last);
        }
    }

    @Test
    void badSettingsAndFamiliesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NeighborLoss.Settings(0, 8, 0.1, 0.1, 0.5, 0)).getMessage()
                .contains("illegal neighbor loss weight 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NeighborLoss.Settings(1, 1, 0.1, 0.1, 0.5, 0)).getMessage()
                .contains("illegal neighbor batch 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NeighborLoss.Settings(1, 8, Double.NaN, 0.1, 0.5, 0)).getMessage()
                .contains("neighbor target temperature NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NeighborLoss.Settings(1, 8, 0.1, 0.1, 0.5, -1)).getMessage()
                .contains("quantization weight -1.0"));
        IllegalArgumentException lstm = assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig.Builder().latentDim(8).neighbors(NeighborLoss.Settings.withWeight(1)).build());
        assertTrue(lstm.getMessage().contains("needs --encoder pretrained and a gaussian latent, not lstm"), lstm.getMessage());
        Dims lstmDims = new Dims(20, 8, 24, 4, LatentType.GAUSSIAN, 0);
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = VaeParameters.initialize(root, lstmDims, 5)) {
            VaeNetwork net = new VaeNetwork(p);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.neighbors(new NeighborLoss(NeighborLoss.Settings.withWeight(1), clusters(4, 3, 2, 1))));
            assertTrue(e.getMessage().contains("non-pretrained gaussian"), e.getMessage());
        }
    }
}
