package io.latentnlp.annotator.corenlp;

import edu.stanford.nlp.ling.CoreAnnotation;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.CategoricalPosterior;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.Posterior;

/**
 * The annotation keys {@link VaeAnnotator} sets. Read them like any CoreNLP key, e.g. {@code
 * sentence.get(VaeAnnotations.HashAnnotation.class)}. Log-likelihoods are natural logs (nats).
 */
public final class VaeAnnotations {

    private VaeAnnotations() {}

    /**
     * Sentence: q(z|x), a {@link GaussianPosterior} (mean, log-variance), {@link
     * BernoulliPosterior} (bit logits; {@code expectation()} gives the bit probabilities) or
     * {@link CategoricalPosterior} (class logits per group; {@code expectation()} gives the
     * class probabilities).
     */
    public static final class PosteriorAnnotation implements CoreAnnotation<Posterior> {
        @Override
        public Class<Posterior> getType() {
            return Posterior.class;
        }
    }

    /** Sentence: the semantic hash of the posterior under the model's hash spec (hex form, bits, Hamming distance). */
    public static final class HashAnnotation implements CoreAnnotation<SemanticHash> {
        @Override
        public Class<SemanticHash> getType() {
            return SemanticHash.class;
        }
    }

    /**
     * Sentence: log p(x|z) at the posterior code ({@code Posterior.code()}: the mean, or the most
     * probable bits/classes), over the tokens the model read plus {@code </s>}.
     */
    public static final class LogLikelihoodAnnotation implements CoreAnnotation<Double> {
        @Override
        public Class<Double> getType() {
            return Double.class;
        }
    }

    /** Sentence: the importance-weighted estimate of log p(x) with {@code vae.iwae.samples} samples (absent when 0). */
    public static final class IwaeLogLikelihoodAnnotation implements CoreAnnotation<Double> {
        @Override
        public Class<Double> getType() {
            return Double.class;
        }
    }

    /** Sentence: units (words or word pieces) the model read, {@code </s>} included (at most {@code vae.maxLength} + 1). */
    public static final class ModelTokenCountAnnotation implements CoreAnnotation<Integer> {
        @Override
        public Class<Integer> getType() {
            return Integer.class;
        }
    }

    /**
     * Sentence: what the model's units are, {@code words} (one normalized word per unit) or {@code
     * wordpiece} (an open vocabulary of word pieces). Either way a token's {@link
     * TokenLogProbAnnotation} is the sum over the units read from it.
     */
    public static final class ModelUnitsAnnotation implements CoreAnnotation<String> {
        @Override
        public Class<String> getType() {
            return String.class;
        }
    }

    /** Sentence: units the model read that are outside its vocabulary (read as {@code <unk>}). */
    public static final class UnknownTokenCountAnnotation implements CoreAnnotation<Integer> {
        @Override
        public Class<Integer> getType() {
            return Integer.class;
        }
    }

    /** Sentence: true when the sentence was longer than {@code vae.maxLength} and only its beginning was read. */
    public static final class TruncatedAnnotation implements CoreAnnotation<Boolean> {
        @Override
        public Class<Boolean> getType() {
            return Boolean.class;
        }
    }

    /**
     * Token: log p(token | previous tokens, z) under the decoder at the sentence's posterior code:
     * the sum over the model units read from this token (its word pieces; a clitic the normalizer
     * joined to it). Absent for a token with no unit of its own (joined to the one before it, as
     * {@code n't} in {@code do n't}) and past truncation.
     */
    public static final class TokenLogProbAnnotation implements CoreAnnotation<Double> {
        @Override
        public Class<Double> getType() {
            return Double.class;
        }
    }

    /** Document: the majority vote of its sentences' hash bits (absent for a document without sentences). */
    public static final class DocumentHashAnnotation implements CoreAnnotation<SemanticHash> {
        @Override
        public Class<SemanticHash> getType() {
            return SemanticHash.class;
        }
    }

    /** Document: the mean over its sentences of E_q[z] (mean, bit or class probabilities). */
    public static final class DocumentLatentAnnotation implements CoreAnnotation<float[]> {
        @Override
        public Class<float[]> getType() {
            return float[].class;
        }
    }
}
