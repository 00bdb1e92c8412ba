package io.latentnlp.training.model;

/**
 * Layer sizes of a sentence VAE.
 *
 * @param vocab vocabulary size V
 * @param embedding embedding size E
 * @param hidden LSTM state size H
 * @param latent latent size d; 0 for the language-model baseline (no encoder, no z)
 */
public record Dims(int vocab, int embedding, int hidden, int latent) {

    public boolean hasLatent() {
        return latent > 0;
    }
}
