package io.latentnlp.models;

/**
 * A diagonal Gaussian posterior q(z|x) = N(mean, diag(exp(logvar))).
 *
 * @param mean the mean, length d
 * @param logvar the log-variance (natural log), length d
 */
public record Posterior(float[] mean, float[] logvar) {

    public int dim() {
        return mean.length;
    }

    /** KL(q || N(0, I)) in nats, closed form (lecture: 1/2 (sigma^2 + mu^2 - 1 - log sigma^2)^T 1). */
    public double kl() {
        return GaussianMath.kl(mean, logvar);
    }
}
