package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.GaussianMath;
import java.util.SplittableRandom;

/**
 * Iterative quantization (Gong and Lazebnik, 2011): center the vectors, project them on their top
 * {@code bits} principal directions, then learn the rotation R that makes the signs lose least:
 * minimize ||B - V R||_F over codes B in {-1, 1} and orthogonal R, alternating B = sign(V R) and
 * R = the orthogonal polar factor of V^T B (the Procrustes solution). Bit b of x is 1 when
 * (x - center) . projection[., b] &gt;= 0, projection = W R. Immutable once fitted.
 *
 * @param center the training mean, [d]
 * @param projection principal directions times rotation, [d][bits]
 */
public record Itq(float[] center, float[][] projection) {

    /**
     * Fits on rows of {@code x} (n x d, n &gt;= 2).
     *
     * @param bits code length, at most d
     * @param iterations alternations (50 in the paper)
     * @param seed the random initial rotation
     */
    public static Itq fit(float[][] x, int bits, int iterations, long seed) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("ITQ needs at least 2 vectors, got " + n);
        }
        int d = x[0].length;
        if (bits < 1 || bits > d) {
            throw new IllegalArgumentException("illegal bits " + bits + ": ITQ over " + d + "-dimensional vectors gives 1.." + d + " bits");
        }
        Pca pca = Pca.fit(x, bits);
        double[] mean = pca.mean();
        double[][] w = pca.directions(); // rows: principal directions, largest first
        // V = (x - mean) W_top, n x bits
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            v[i] = pca.project(x[i]);
        }
        double[][] r = polar(randomMatrix(bits, new SplittableRandom(seed)));
        for (int it = 0; it < iterations; it++) {
            // M = V^T sign(V R)
            double[][] m = new double[bits][bits];
            double[] vr = new double[bits];
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < bits; b++) {
                    double s = 0;
                    for (int k = 0; k < bits; k++) {
                        s += v[i][k] * r[k][b];
                    }
                    vr[b] = s >= 0 ? 1 : -1;
                }
                for (int a = 0; a < bits; a++) {
                    double va = v[i][a];
                    for (int b = 0; b < bits; b++) {
                        m[a][b] += va * vr[b];
                    }
                }
            }
            r = polar(m);
        }
        float[][] projection = new float[d][bits];
        for (int j = 0; j < d; j++) {
            for (int b = 0; b < bits; b++) {
                double s = 0;
                for (int k = 0; k < bits; k++) {
                    s += w[k][j] * r[k][b];
                }
                projection[j][b] = (float) s;
            }
        }
        float[] center = new float[d];
        for (int j = 0; j < d; j++) {
            center[j] = (float) mean[j];
        }
        return new Itq(center, projection);
    }

    /** The orthogonal factor of M = R P: M (M^T M)^(-1/2), through the eigenvectors of M^T M. */
    static double[][] polar(double[][] m) {
        int k = m.length;
        double[][] mtm = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += m[i][a] * m[i][b];
                }
                mtm[a][b] = s;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(mtm);
        // (M^T M)^(-1/2) = sum_j e_j e_j^T / sqrt(lambda_j)
        double[][] inv = new double[k][k];
        for (int j = 0; j < k; j++) {
            double lambda = Math.max(e.values()[j], 1e-18);
            double scale = 1 / Math.sqrt(lambda);
            double[] u = e.vectors()[j];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    inv[a][b] += scale * u[a] * u[b];
                }
            }
        }
        double[][] out = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += m[a][i] * inv[i][b];
                }
                out[a][b] = s;
            }
        }
        return out;
    }

    private static double[][] randomMatrix(int k, SplittableRandom rng) {
        double[][] m = new double[k][k];
        for (double[] row : m) {
            for (int j = 0; j < k; j++) {
                row[j] = GaussianMath.gaussian(rng);
            }
        }
        return m;
    }

    /** This rotation as a bundle's hash spec ({@link io.latentnlp.models.bundle.Manifest.Hash#ITQ}). */
    public io.latentnlp.models.bundle.Manifest.Hash spec() {
        int d = center.length;
        int bits = bits();
        float[] flat = new float[d * bits];
        for (int j = 0; j < d; j++) {
            System.arraycopy(projection[j], 0, flat, j * bits, bits);
        }
        return new io.latentnlp.models.bundle.Manifest.Hash(io.latentnlp.models.bundle.Manifest.Hash.ITQ, bits, null, center.clone(), flat);
    }

    public int bits() {
        return projection[0].length;
    }

    /** The code of one vector. */
    public SemanticHash hash(float[] x) {
        return SemanticHash.fromBits(project(center, projection, x));
    }

    /** Bits of (x - center) times projection, 1 where &gt;= 0. */
    static boolean[] project(float[] center, float[][] projection, float[] x) {
        int d = center.length;
        if (x.length != d) {
            throw new IllegalArgumentException("vector of " + x.length + " entries, expected " + d);
        }
        int bits = projection[0].length;
        double[] s = new double[bits];
        for (int j = 0; j < d; j++) {
            double c = x[j] - center[j];
            float[] p = projection[j];
            for (int b = 0; b < bits; b++) {
                s[b] += c * p[b];
            }
        }
        boolean[] out = new boolean[bits];
        for (int b = 0; b < bits; b++) {
            out[b] = s[b] >= 0;
        }
        return out;
    }
}
