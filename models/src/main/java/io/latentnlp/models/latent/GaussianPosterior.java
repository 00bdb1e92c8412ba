package io.latentnlp.models.latent;

import io.latentnlp.models.bundle.OnnxContract;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A diagonal Gaussian posterior q(z|x) = N(mean, diag(exp(logvar))).
 *
 * @param mean the mean, length d
 * @param logvar the log-variance (natural log), length d
 */
public record GaussianPosterior(float[] mean, float[] logvar) implements Posterior {

    public GaussianPosterior {
        if (mean.length != logvar.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " dimensions, logvar " + logvar.length);
        }
    }

    @Override
    public LatentType type() {
        return LatentType.GAUSSIAN;
    }

    @Override
    public int dim() {
        return mean.length;
    }

    @Override
    public int codeDim() {
        return mean.length;
    }

    /** Lecture: 1/2 (sigma^2 + mu^2 - 1 - log sigma^2)^T 1. */
    @Override
    public double kl() {
        return GaussianMath.kl(mean, logvar);
    }

    @Override
    public float[] sample(SplittableRandom rng) {
        return GaussianMath.sample(this, rng);
    }

    @Override
    public double logDensity(float[] z) {
        return GaussianMath.logNormal(z, mean, logvar);
    }

    @Override
    public double logPrior(float[] z) {
        return GaussianMath.logStandardNormal(z);
    }

    @Override
    public double negativeEntropy() {
        double s = 0;
        for (float lv : logvar) {
            s += lv;
        }
        return -0.5 * mean.length * GaussianMath.LOG_2PI - 0.5 * (mean.length + s);
    }

    @Override
    public float[] code() {
        return mean.clone();
    }

    @Override
    public float[] expectation() {
        return mean.clone();
    }

    @Override
    public String expectationName() {
        return OnnxContract.MEAN;
    }

    @Override
    public java.util.Map<String, float[]> parameters() {
        java.util.Map<String, float[]> p = new java.util.LinkedHashMap<>();
        p.put(OnnxContract.MEAN, mean);
        p.put(OnnxContract.LOGVAR, logvar);
        return java.util.Collections.unmodifiableMap(p);
    }

    @Override
    public java.util.Map<String, float[]> summary() {
        return parameters();
    }

    /** Equal when the means and log-variances are, element for element. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianPosterior g && Arrays.equals(mean, g.mean) && Arrays.equals(logvar, g.logvar);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(logvar);
    }

    @Override
    public String toString() {
        return "Gaussian[mean=" + Arrays.toString(mean) + ", logvar=" + Arrays.toString(logvar) + "]";
    }
}
