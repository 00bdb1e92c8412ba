package io.latentnlp.models.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.GaussianMath;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Code structure statistics, the Jacobi eigen-decomposition, ITQ and hyperplane LSH. */
class CodeStatisticsTest {

    private static SemanticHash thermometer(int length, int bits) {
        boolean[] b = new boolean[bits];
        for (int i = 0; i < Math.min(length, bits); i++) {
            b[i] = true;
        }
        return SemanticHash.fromBits(b);
    }

    @Test
    void aHashOfLengthShowsAsLengthCorrelationAndARandomHashDoesNot() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 2000;
        int[] lengths = new int[n];
        List<SemanticHash> lengthCodes = new ArrayList<>();
        List<SemanticHash> randomCodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lengths[i] = 1 + rng.nextInt(40);
            lengthCodes.add(thermometer(lengths[i], 64));
            boolean[] b = new boolean[64];
            for (int j = 0; j < 64; j++) {
                b[j] = rng.nextBoolean();
            }
            randomCodes.add(SemanticHash.fromBits(b));
        }
        CodeStructure len = CodeStructure.of(lengthCodes, lengths, 20000, 7);
        CodeStructure rnd = CodeStructure.of(randomCodes, lengths, 20000, 7);
        assertTrue(len.lengthSpearman() > 0.99, "thermometer code: " + len);
        assertEquals(0.0, len.distanceEqualLength(), 1e-12);
        assertTrue(len.distanceFarLength() >= CodeStructure.FAR);
        assertEquals(40 / (double) n, len.distinctShare(), 1e-12);
        assertTrue(Math.abs(rnd.lengthSpearman()) < 0.03, "random code: " + rnd);
        assertEquals(32, rnd.distanceEqualLength(), 0.5);
        assertEquals(1.0, rnd.distinctShare(), 1e-12);
        assertTrue(rnd.bitImbalance() < 0.02 && rnd.bitCorrelation() < 0.03, rnd.toString());
    }

    @Test
    void constantAndDuplicatedBitsAreSeen() {
        SplittableRandom rng = new SplittableRandom(2);
        List<SemanticHash> codes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            boolean x = rng.nextBoolean();
            codes.add(SemanticHash.fromBits(new boolean[] {x, x, !x, true}));
        }
        CodeStructure s = CodeStructure.of(codes, new int[500], 100, 1);
        // bit 3 is constant (imbalance 0.5), the others balanced: mean ~ 0.125
        assertEquals(0.125, s.bitImbalance(), 0.02);
        assertEquals(1.0, s.bitCorrelation(), 1e-9, "bits 0, 1, 2 determine each other; the constant bit is left out");
        assertTrue(Double.isNaN(s.lengthSpearman()), "no length varies");
        assertThrows(IllegalArgumentException.class, () -> CodeStructure.of(codes, new int[3], 10, 1));
    }

    @Test
    void spearmanGivesTiesTheirMeanRank() {
        assertEquals(1.0, CodeStructure.spearman(new double[] {1, 2, 2, 3}, new double[] {10, 20, 20, 30}), 1e-12);
        assertEquals(-1.0, CodeStructure.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        double[] r = CodeStructure.ranks(new double[] {5, 1, 5, 2});
        assertEquals(List.of(3.5, 1.0, 3.5, 2.0), List.of(r[0], r[1], r[2], r[3]));
    }

    @Test
    void jacobiReproducesTheMatrixFromItsEigenpairs() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 12;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = GaussianMath.gaussian(rng);
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += e.values()[k] * e.vectors()[k][i] * e.vectors()[k][j];
                }
                assertEquals(a[i][j], s, 1e-9, "entry " + i + "," + j);
            }
        }
        for (int k = 1; k < n; k++) {
            assertTrue(e.values()[k - 1] >= e.values()[k], "decreasing eigenvalues");
        }
    }

    @Test
    void itqRotationIsOrthogonalAndKeepsClusterNeighboursBetterThanLsh() {
        SplittableRandom rng = new SplittableRandom(4);
        int d = 32;
        int clusters = 20;
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) GaussianMath.gaussian(rng);
            }
        }
        int n = 2000;
        float[][] x = new float[n][d];
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = rng.nextInt(clusters);
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[label[i]][j] + 0.6f * (float) GaussianMath.gaussian(rng) + 3f; // off-centre on purpose
            }
        }
        Itq itq = Itq.fit(x, 16, 50, 9);
        double[][] r = new double[16][16];
        for (int a = 0; a < 16; a++) {
            for (int b = 0; b < 16; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += itq.projection()[j][a] * itq.projection()[j][b];
                }
                r[a][b] = s;
            }
        }
        for (int a = 0; a < 16; a++) {
            for (int b = 0; b < 16; b++) {
                assertEquals(a == b ? 1.0 : 0.0, r[a][b], 1e-4, "projection columns orthonormal at " + a + "," + b);
            }
        }
        HyperplaneLsh lsh = new HyperplaneLsh(d, 16, 9);
        List<SemanticHash> itqCodes = new ArrayList<>();
        List<SemanticHash> lshCodes = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            itqCodes.add(itq.hash(x[i]));
            lshCodes.add(lsh.hash(x[i]));
            labels.add(String.valueOf(label[i]));
        }
        double pItq = PrecisionAtK.mean(itqCodes.subList(0, 200), labels.subList(0, 200), itqCodes.subList(200, n), labels.subList(200, n), 50);
        double pLsh = PrecisionAtK.mean(lshCodes.subList(0, 200), labels.subList(0, 200), lshCodes.subList(200, n), labels.subList(200, n), 50);
        assertTrue(pItq > pLsh + 0.1, "ITQ " + pItq + " vs LSH " + pLsh + " (LSH through the origin ignores the offset)");
        CodeStructure s = CodeStructure.of(itqCodes, new int[n], 10, 1);
        assertTrue(s.bitImbalance() < 0.15, "centred projections split the data: " + s);
        assertThrows(IllegalArgumentException.class, () -> Itq.fit(x, 33, 5, 1));
    }
}
