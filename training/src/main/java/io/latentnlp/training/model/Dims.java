package io.latentnlp.training.model;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.latent.LatentType;

/**
 * Layer sizes and latent family of a sentence VAE.
 *
 * @param vocab vocabulary size V
 * @param embedding embedding size E
 * @param hidden LSTM state size H
 * @param latent number of latent variables d; 0 for the language-model baseline (no encoder, no z)
 * @param type the latent family ({@link LatentType#NONE} exactly when d = 0)
 * @param categories classes per variable K for categorical latents; 0 otherwise
 * @param tied the decoder's output layer is its input embedding (no {@code dec.out.w}; E = H)
 * @param features F, the width of a pretrained backbone's sentence embedding when the encoder is
 *     the pretrained family's head; 0 for the LSTM encoder
 * @param bow the model has a bag-of-words head z -&gt; p(word) for the auxiliary loss (Zhao et al.
 *     2017); training only, never exported
 * @param decoder the decoder family ({@link Manifest.Architecture}): {@code lstm}, log p(x_t |
 *     x_&lt;t, z) from the LSTM; {@code lstm-topic}, the same with U z added to the output logits at
 *     every position (a global bias on the vocabulary, as TopicRNN's topic vector: {@code dec.topic.w
 *     [V, c]}); {@code bow}, a bag of words, log p(x_t | z) = log softmax(W z + b)[x_t] at every
 *     position (VDSH/NASH), instead of the LSTM: parameters {@code dec.out.w [V, c]} and {@code
 *     dec.out.b} only
 */
public record Dims(int vocab, int embedding, int hidden, int latent, LatentType type, int categories, boolean tied, int features, boolean bow,
        String decoder) {

    public Dims {
        decoder = decoder == null ? Manifest.Architecture.LSTM_DECODER : decoder;
        if (!Manifest.Architecture.DECODERS.contains(decoder)) {
            throw new IllegalArgumentException("unknown decoder '" + decoder + "' (known: " + String.join(", ", Manifest.Architecture.DECODERS) + ")");
        }
        if (decoder.equals(Manifest.Architecture.TOPIC_DECODER) && latent == 0) {
            throw new IllegalArgumentException("the lstm-topic decoder adds U z to its logits: it needs a latent variable");
        }
        if ((latent == 0) != (type == LatentType.NONE)) {
            throw new IllegalArgumentException("latent type " + type + " with " + latent + " latent variables");
        }
        if ((type == LatentType.CATEGORICAL) != (categories > 0)) {
            throw new IllegalArgumentException("categories " + categories + " for latent type " + type);
        }
        if (tied && embedding != hidden) {
            throw new IllegalArgumentException("tied embeddings need embedding = hidden, got " + embedding + " and " + hidden);
        }
        if (features < 0 || (features > 0 || bow) && latent == 0) {
            throw new IllegalArgumentException("a pretrained encoder (features " + features + ") and a bag-of-words head (" + bow + ") need a latent variable");
        }
        if (decoder.equals(Manifest.Architecture.BOW_DECODER) && (latent == 0 || tied || bow)) {
            throw new IllegalArgumentException("a bag-of-words decoder needs a latent variable and has no embedding to tie nor a second bag-of-words head");
        }
    }

    /** The LSTM decoder. */
    public Dims(int vocab, int embedding, int hidden, int latent, LatentType type, int categories, boolean tied, int features, boolean bow) {
        this(vocab, embedding, hidden, latent, type, categories, tied, features, bow, null);
    }

    /** Untied layers, LSTM encoder, no bag-of-words head. */
    public Dims(int vocab, int embedding, int hidden, int latent, LatentType type, int categories) {
        this(vocab, embedding, hidden, latent, type, categories, false, 0, false);
    }

    /** The same sizes with the decoder's output layer tied to its embedding. */
    public Dims withTiedEmbeddings() {
        return new Dims(vocab, embedding, hidden, latent, type, categories, true, features, bow, decoder);
    }

    /** The same sizes with the pretrained family's encoder head over F-dimensional backbone embeddings. */
    public Dims withPretrainedEncoder(int f) {
        return new Dims(vocab, embedding, hidden, latent, type, categories, tied, f, bow, decoder);
    }

    /** The same sizes with a bag-of-words head for the auxiliary loss. */
    public Dims withBagOfWords() {
        return new Dims(vocab, embedding, hidden, latent, type, categories, tied, features, true, decoder);
    }

    /** The same sizes with the decoder family {@code family} ({@link Manifest.Architecture#DECODERS}). */
    public Dims withDecoder(String family) {
        return new Dims(vocab, embedding, hidden, latent, type, categories, tied, features, bow, family);
    }

    /** Whether the decoder is the bag of words (VDSH/NASH) instead of the LSTM. */
    public boolean bowDecoder() {
        return decoder.equals(Manifest.Architecture.BOW_DECODER);
    }

    /** Whether the LSTM decoder's logits also get U z at every position ({@code dec.topic.w}). */
    public boolean topic() {
        return decoder.equals(Manifest.Architecture.TOPIC_DECODER);
    }

    /** Whether q(z|x) comes from a pretrained backbone's embedding (else from the LSTM encoder). */
    public boolean pretrained() {
        return features > 0;
    }

    /** A Gaussian VAE with d latent dimensions, or the baseline when d = 0. */
    public Dims(int vocab, int embedding, int hidden, int latent) {
        this(vocab, embedding, hidden, latent, latent == 0 ? LatentType.NONE : LatentType.GAUSSIAN, 0);
    }

    public boolean hasLatent() {
        return latent > 0;
    }

    /** Width of the code z the decoder reads ({@link LatentType#codeDim}). */
    public int codeDim() {
        return type.codeDim(latent, categories);
    }

    /** The manifest's latent spec. */
    public Manifest.Latent manifestLatent() {
        return new Manifest.Latent(type, latent, categories);
    }
}
