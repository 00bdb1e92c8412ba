package io.latentnlp.models.analysis;

import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a {@link SentenceAnalyzer} gives for one sentence.
 *
 * @param tokens the sentence's tokens as the caller (or the analyzer's splitter) gave them: the
 *     pipeline tokens that {@link #tokenLogProbs()} is indexed by
 * @param encoded what reached the model: unit ids ({@code </s>} last), the normalized text, and
 *     for each unit the pipeline token it came from
 * @param posterior q(z|x): Gaussian mean and log-variance, or Bernoulli/categorical logits
 * @param hash the semantic hash under the bundle's hash spec; null for a bundle without one
 * @param logLikelihood log p(x|z) at the posterior code ({@link Posterior#code()}) in nats,
 *     {@code </s>} included; NaN when the analyzer was built without likelihoods
 * @param iwaeLogLikelihood the importance-weighted estimate of log p(x) when the analyzer was
 *     built with IWAE samples, else empty
 * @param tokenLogProbs one entry per pipeline token: log p of the model units read from it,
 *     summed (its word pieces, a clitic joined to it); NaN for a token with no unit of its own
 *     (joined to the one before, or past truncation); null without likelihoods
 */
public record SentenceResult(List<String> tokens, EncodedSentence encoded, Posterior posterior, SemanticHash hash, double logLikelihood,
        OptionalDouble iwaeLogLikelihood, double[] tokenLogProbs) {

    /** The code the decoder reads at the posterior (mean, bits q >= 1/2, or argmax one-hot blocks). */
    public float[] code() {
        return posterior.code();
    }

    /** E_q[z]: the posterior mean, or bit/class probabilities. */
    public float[] latent() {
        return posterior.expectation();
    }

    /** Units the model read, {@code </s>} included (the denominator of per-token likelihoods). */
    public int modelTokens() {
        return encoded.length();
    }

    /** Units read that are {@code <unk>} (always 0 for an open word-piece vocabulary). */
    public int unknownTokens() {
        return encoded.unknownCount();
    }

    /** Whether the sentence was longer than the model reads and was cut. */
    public boolean truncated() {
        return encoded.truncated();
    }

    /** Whether log p(x|z) and the per-token values were computed. */
    public boolean hasLikelihoods() {
        return tokenLogProbs != null;
    }
}
