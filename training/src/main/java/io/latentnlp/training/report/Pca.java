package io.latentnlp.training.report;

/**
 * Principal component analysis by power iteration with deflation on the covariance matrix: enough
 * for the few components a plot needs, in double precision, deterministic. Stateless.
 */
public final class Pca {

    private Pca() {}

    /** The top {@code k} unit-length principal directions of the rows of {@code x}, [k][d]. */
    public static double[][] components(float[][] x, int k) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (float[] row : x) {
            for (int a = 0; a < d; a++) {
                double ca = row[a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += ca * (row[b] - mean[b]) / n;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        double[][] out = new double[Math.min(k, d)][];
        for (int c = 0; c < out.length; c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = 1.0 / Math.sqrt(d) * (1 + 0.01 * j); // deterministic start, not orthogonal to any axis
            }
            double lambda = 0;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        w[a] += cov[a][b] * v[b];
                    }
                }
                // keep the iterate orthogonal to the components already found (robust deflation)
                for (int prev = 0; prev < c; prev++) {
                    double p = dot(w, out[prev]);
                    for (int a = 0; a < d; a++) {
                        w[a] -= p * out[prev][a];
                    }
                }
                double norm = Math.sqrt(dot(w, w));
                if (norm == 0) {
                    break;
                }
                for (int a = 0; a < d; a++) {
                    w[a] /= norm;
                }
                double change = 1 - Math.abs(dot(w, v));
                v = w;
                lambda = norm;
                if (change < 1e-12) {
                    break;
                }
            }
            out[c] = v;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] -= lambda * v[a] * v[b];
                }
            }
        }
        return out;
    }

    /** Rows of {@code x} centred and projected on the top {@code k} components, [n][k]. */
    public static double[][] project(float[][] x, int k) {
        double[][] comp = components(x, k);
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / (double) x.length;
            }
        }
        double[][] out = new double[x.length][comp.length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < comp.length; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (x[i][j] - mean[j]) * comp[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
