package io.latentnlp.models.latent;

/** Numerically stable sigmoid, log-sigmoid, log-softmax and discrete KLs in double precision. Stateless. */
public final class DiscreteMath {

    private DiscreteMath() {}

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)). */
    public static double logSigmoid(double x) {
        return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** KL(Bernoulli(sigmoid(logit)) || Bernoulli(1/2)) = q log q + (1 - q) log(1 - q) + log 2. */
    public static double bernoulliKl(double logit) {
        double q = sigmoid(logit);
        return q * logSigmoid(logit) + (1 - q) * logSigmoid(-logit) + Math.log(2);
    }

    /** Writes log softmax of {@code x[from, from + n)} into {@code out[from, from + n)}. */
    public static void logSoftmax(float[] x, int from, int n, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, x[i]);
        }
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += Math.exp(x[i] - max);
        }
        double lse = max + Math.log(s);
        for (int i = from; i < from + n; i++) {
            out[i] = x[i] - lse;
        }
    }
}
