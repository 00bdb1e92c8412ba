package io.latentnlp.models.hash;

/**
 * Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations, in double precision:
 * a few hundred dimensions at most here (a backbone's covariance, an ITQ step). Stateless.
 *
 * @param values eigenvalues in decreasing order
 * @param vectors {@code vectors[k]} is the unit eigenvector of {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    /** Decomposes {@code a} (not modified; must be square and symmetric). */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("not square: row " + i + " has " + a[i].length + " entries, expected " + n);
            }
            m[i] = a[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += m[p][p] * m[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= 1e-24 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    // Rotation that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1).
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y][y], m[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[k][i] = v[i][order[k]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
