package io.latentnlp.annotator.opennlp;

import io.latentnlp.models.EncodedSentence;
import io.latentnlp.models.LikelihoodEstimator;
import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.Posterior;
import io.latentnlp.models.SemanticHash;
import io.latentnlp.models.SentenceEncoder;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.TokenNormalizer;
import java.util.ArrayList;
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
    private final SentenceVae vae;
    private final SentenceEncoder encoder;
    private final boolean hashes;

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
        this.vae = model.runtime();
        ModelBundle b = vae.bundle();
        this.encoder = b.sentenceEncoder(maxLength > 0 ? maxLength : b.manifest().vocab().maxLength());
        this.hashes = b.manifest().hash() != null;
    }

    /** What the model's units are: {@code words}, or {@code wordpiece} for an open vocabulary (token log-probabilities sum a token's pieces). */
    public String units() {
        return vae.bundle().manifest().vocab().unitName();
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
        List<EncodedSentence> encoded = new ArrayList<>(sentences.length);
        List<int[]> ids = new ArrayList<>(sentences.length);
        for (String[] s : sentences) {
            EncodedSentence e = encoder.encode(Arrays.asList(s));
            encoded.add(e);
            ids.add(e.ids());
        }
        return model.use(() -> ids.isEmpty() ? new Result[0] : score(sentences, encoded, ids, iwaeSamples, seed));
    }

    private Result[] score(String[][] sentences, List<EncodedSentence> encoded, List<int[]> ids, int iwaeSamples, long seed) {
        Result[] out = new Result[ids.size()];
        Posterior[] q = vae.encodeSentences(encoded);
        float[][] lp = vae.tokenLogProbs(ids, Arrays.stream(q).map(Posterior::code).toArray(float[][]::new));
        double[] iw = iwaeSamples > 0 ? LikelihoodEstimator.logMarginal(vae, ids, q, iwaeSamples, seed) : null;
        for (int i = 0; i < out.length; i++) {
            EncodedSentence e = encoded.get(i);
            double sum = LikelihoodEstimator.rowSums(new float[][] {lp[i]})[0];
            out[i] = new Result(q[i], hashes ? vae.hash(q[i]) : null, sum, iw == null ? Double.NaN : iw[i], e.perToken(lp[i], sentences[i].length),
                    e.length(), e.unknownCount(), e.truncated());
        }
        return out;
    }
}
