package io.latentnlp.models;

/** The family of q(z|x) and p(z). */
public enum LatentType {
    /** Diagonal Gaussian posterior, standard normal prior; the encoder outputs mean and logvar. */
    GAUSSIAN,
    /** No latent variable: a plain LSTM language model (the baseline; never exported as a bundle). */
    NONE
}
