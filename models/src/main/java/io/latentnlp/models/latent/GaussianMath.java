package io.latentnlp.models.latent;

import java.util.SplittableRandom;

/** Diagonal-Gaussian densities, KL and log-sum-exp in double precision. Stateless. */
public final class GaussianMath {

    /** log(2 pi). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianMath() {}

    /** KL(N(mu, diag(exp(logvar))) || N(0, I)) = 1/2 sum(exp(logvar) + mu^2 - 1 - logvar). */
    public static double kl(float[] mu, float[] logvar) {
        double s = 0;
        for (int i = 0; i < mu.length; i++) {
            s += klDim(mu[i], logvar[i]);
        }
        return s;
    }

    /** One dimension of {@link #kl}. */
    public static double klDim(double mu, double logvar) {
        return 0.5 * (Math.exp(logvar) + mu * mu - 1 - logvar);
    }

    /** log N(z; 0, I). */
    public static double logStandardNormal(float[] z) {
        double s = 0;
        for (float v : z) {
            s += v * (double) v;
        }
        return -0.5 * (z.length * LOG_2PI + s);
    }

    /** log N(z; mu, diag(exp(logvar))). */
    public static double logNormal(float[] z, float[] mu, float[] logvar) {
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            double d = z[i] - mu[i];
            s += logvar[i] + d * d * Math.exp(-logvar[i]);
        }
        return -0.5 * (z.length * LOG_2PI + s);
    }

    /** Draws z = mu + eps * exp(logvar / 2), eps ~ N(0, I) (the reparameterization). */
    public static float[] sample(GaussianPosterior q, SplittableRandom rng) {
        float[] z = new float[q.dim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (q.mean()[i] + gaussian(rng) * Math.exp(0.5 * q.logvar()[i]));
        }
        return z;
    }

    /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** log(sum(exp(x))), stable. */
    public static double logSumExp(double[] x) {
        return logSumExp(x, x.length);
    }

    /** log(sum(exp(x[0..n)))), stable. */
    public static double logSumExp(double[] x, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(x[i] - max);
        }
        return max + Math.log(s);
    }
}
