package io.latentnlp.annotator.opennlp;

import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import java.util.Arrays;
import java.util.List;

/**
 * The sentence VAE in the style of OpenNLP's {@code ...ME} classes: give it a sentence as
 * {@code String[]} tokens (or many sentences), get its latent code, semantic hash and
 * likelihoods.
 *
 * <pre>{@code
 * try (SentenceVaeModel model = new SentenceVaeModel(Path.of("model.vae"))) {
 *     SentenceVaeME vae = new SentenceVaeME(model);
 *     SentenceVaeME.Result r = vae.encode(new String[] {"The", "jury", "said", "so", "."});
 *     r.hash().toHex(); r.logLikelihood(); r.tokenLogProbs();
 * }
 * }</pre>
 *
 * Tokens go through the bundle's normalizer and vocabulary exactly as in training. Batches are
 * length-sorted for ONNX Runtime. Thread-safe after construction (unlike most {@code ...ME}
 * classes): it keeps no per-call state. Calls after the model is closed throw {@link
 * IllegalStateException}; closing waits for the calls in flight.
 */
public class SentenceVaeME {

    /**
     * One sentence's results.
     *
     * @param posterior q(z|x): Gaussian mean/log-variance, or Bernoulli/categorical logits
     * @param hash the semantic hash (null for bundles without a hash spec)
     * @param logLikelihood log p(x|z) at the posterior code, {@code </s>} included
     * @param iwaeLogLikelihood the IWAE estimate of log p(x), or NaN when not requested
     * @param tokenLogProbs one entry per input token: log p(units | prefix, z) summed over the
     *     model units read from that token (its word pieces; a clitic joined to it); NaN for a
     *     token with no unit of its own (joined to the one before it, or past truncation)
     * @param modelTokens units the model read, {@code </s>} included
     * @param unknownTokens units read that are outside the vocabulary
     * @param truncated whether the sentence was longer than the maximum length
     */
    public record Result(Posterior posterior, SemanticHash hash, double logLikelihood, double iwaeLogLikelihood, double[] tokenLogProbs,
            int modelTokens, int unknownTokens, boolean truncated) {}

    private final SentenceVaeModel model;
    private final SentenceAnalyzer analyzer;

    /** With the bundle's maximum sentence length. */
    public SentenceVaeME(SentenceVaeModel model) {
        this(model, 0);
    }

    /** @param maxLength tokens read per sentence, 0 = the bundle's training maximum */
    public SentenceVaeME(SentenceVaeModel model, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("illegal maxLength " + maxLength + ": must be >= 0");
        }
        this.model = model;
        this.analyzer = SentenceAnalyzer.builder(model.runtime()).optMaxLength(maxLength).build();
    }

    /** What the model's units are: {@code words}, or {@code wordpiece} for an open vocabulary (token log-probabilities sum a token's pieces). */
    public String units() {
        return analyzer.units();
    }

    /** The analyzer this class adapts (the one run-time path; see {@link SentenceAnalyzer}). */
    public SentenceAnalyzer analyzer() {
        return analyzer;
    }

    /** One sentence. */
    public Result encode(String[] tokens) {
        return encode(new String[][] {tokens}, 0, 0)[0];
    }

    /** Many sentences, batched. */
    public Result[] encode(String[][] sentences) {
        return encode(sentences, 0, 0);
    }

    /**
     * Many sentences, batched, with the IWAE estimate of log p(x).
     *
     * @param iwaeSamples K importance samples, 0 = no estimate
     * @param seed noise seed (a sentence gets the same estimate in any batch)
     */
    public Result[] encode(String[][] sentences, int iwaeSamples, long seed) {
        if (iwaeSamples < 0) {
            throw new IllegalArgumentException("illegal iwaeSamples " + iwaeSamples + ": must be >= 0");
        }
        SentenceAnalyzer a = analyzer.withIwae(iwaeSamples, seed);
        List<List<String>> tokens = Arrays.stream(sentences).map(Arrays::asList).toList();
        return model.use(() -> a.analyzeTokens(tokens).stream().map(SentenceVaeME::result).toArray(Result[]::new));
    }

    /** The OpenNLP-style result of the analyzer's. */
    static Result result(SentenceResult r) {
        return new Result(r.posterior(), r.hash(), r.logLikelihood(), r.iwaeLogLikelihood().orElse(Double.NaN), r.tokenLogProbs(), r.modelTokens(),
                r.unknownTokens(), r.truncated());
    }
}
