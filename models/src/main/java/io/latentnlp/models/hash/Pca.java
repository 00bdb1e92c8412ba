package io.latentnlp.models.hash;

/**
 * Principal components of a set of vectors: the mean, the top-k directions of the covariance
 * (largest variance first) and their variances. ITQ projects on them before its rotation; a
 * training run can align a latent's posterior mean with them.
 *
 * @param mean the vectors' mean [d]
 * @param directions unit principal directions [k][d], largest variance first
 * @param variances the variance along each direction [k] (covariance summed over n, divided by n)
 */
public record Pca(double[] mean, double[][] directions, double[] variances) {

    /** Fits on rows of {@code x} (n x d, n &gt;= 2), keeping {@code k} of d directions. */
    public static Pca fit(float[][] x, int k) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("principal components need at least 2 vectors, got " + n);
        }
        int d = x[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("illegal " + k + " principal directions of " + d + "-dimensional vectors: 1.." + d);
        }
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                c[j] = row[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                double[] ra = cov[a];
                for (int b = a; b < d; b++) {
                    ra[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(cov); // rows: principal directions, largest first
        double[][] directions = new double[k][];
        double[] variances = new double[k];
        for (int i = 0; i < k; i++) {
            directions[i] = e.vectors()[i];
            variances[i] = Math.max(0, e.values()[i]) / n;
        }
        return new Pca(mean, directions, variances);
    }

    /** Number of directions kept. */
    public int k() {
        return directions.length;
    }

    /** (x - mean) projected on the directions: [k]. */
    public double[] project(float[] x) {
        double[] out = new double[directions.length];
        for (int b = 0; b < directions.length; b++) {
            double[] w = directions[b];
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += (x[j] - mean[j]) * w[j];
            }
            out[b] = s;
        }
        return out;
    }
}
