package io.latentnlp.models.latent;

/** The family of q(z|x) and p(z). */
public enum LatentType {
    /** Diagonal Gaussian posterior, standard normal prior; the encoder outputs mean and logvar. */
    GAUSSIAN,
    /**
     * d independent bits, q(z_i = 1 | x) = sigmoid(logit_i), prior Bernoulli(1/2); the encoder
     * outputs logits [B, d] and the decoder reads z as 0/1 values.
     */
    BERNOULLI,
    /**
     * d independent categorical variables of K classes, q = softmax per group, uniform prior; the
     * encoder outputs logits [B, d * K] (group-major) and the decoder reads z as d one-hot blocks.
     */
    CATEGORICAL,
    /** No latent variable: a plain LSTM language model (the baseline; never exported as a bundle). */
    NONE;

    /** Whether z takes discrete values (bits or one-hot blocks). */
    public boolean isDiscrete() {
        return this == BERNOULLI || this == CATEGORICAL;
    }

    /**
     * The width of the code vector z the decoder reads: d, or d * K for categorical latents, or 0.
     *
     * @param dim number of latent variables d
     * @param categories classes per variable K (categorical only)
     * @throws ArithmeticException when d * K does not fit an int (a manifest's latent is bounded before this)
     */
    public int codeDim(int dim, int categories) {
        return switch (this) {
            case GAUSSIAN, BERNOULLI -> dim;
            case CATEGORICAL -> Math.multiplyExact(dim, categories); // an overflow throws rather than wrap to a small width
            case NONE -> 0;
        };
    }

    /** The lower-case name used on command lines and in manifests' prose. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
