package io.latentnlp.models.bundle;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.EncoderFamilies;
import io.latentnlp.models.runtime.EncoderFamily;
import io.latentnlp.models.text.Vocabulary;

/**
 * Names and shapes of the ONNX graphs in a bundle. Both graphs take the same token tensor: the
 * sentence's ids followed by {@code </s>}, right-padded with {@code <pad>} (id 0).
 *
 * <pre>
 * encoder.onnx  tokens int64 [B,T], lengths int64 [B]            -&gt; mean float [B,d], logvar float [B,d]  (gaussian)
 *                                                                  -&gt; logits float [B,c]                    (bernoulli, categorical)
 *               or, in the pretrained family, features float [B,F] (the backbone's embedding) -&gt; the same outputs
 * decoder.onnx  tokens int64 [B,T], lengths int64 [B], z float [B,c] -&gt; logprobs float [B,T]
 * decoder_step.onnx  token int64 [B], reset float [B], z float [B,c], h float [B,H], c float [B,H]
 *                    -&gt; logprobs float [B,V], h_out float [B,H], c_out float [B,H]
 * </pre>
 *
 * The step decoder advances the decoder LSTM by one token: {@code logprobs[b,v] = log p(v |
 * token[b], state[b], z[b])}. Where {@code reset[b] = 1} the incoming state is replaced by the
 * initial state from z (c0 = W z + b, h0 = tanh c0), so the first step of a sentence passes
 * {@code <s>}, reset 1 and any h, c (zeros); later steps pass the previous token, reset 0 and
 * the returned state. Stepping through {@code <s> x_1 .. x_n} reproduces the full decoder's
 * log-probabilities.
 *
 * c is the code width ({@link LatentType#codeDim}): d for Gaussian and Bernoulli latents, d * K
 * for categorical ones (logits group-major; z one one-hot block of K per group). Bernoulli
 * logits are log q(z_i = 1) - log q(z_i = 0); z is 0/1 per bit.
 *
 * {@code lengths[b]} counts the real tokens of row b, {@code </s>} included (so it is at least 1).
 * {@code logprobs[b,t] = log p(tokens[b,t] | tokens[b,&lt;t], z)}: the decoder prepends {@code <s>}
 * itself, and positions at or beyond {@code lengths[b]} are 0. The sum over a row is log p(x|z)
 * with the end of sentence included.
 */
public final class OnnxContract {

    public static final String TOKENS = "tokens";
    public static final String LENGTHS = "lengths";
    public static final String Z = "z";
    public static final String MEAN = "mean";
    public static final String LOGVAR = "logvar";
    public static final String LOGITS = "logits";
    /** The pretrained family's encoder input: the backbone's sentence embeddings, float [B,F]. */
    public static final String FEATURES = "features";
    public static final String LOGPROBS = "logprobs";
    public static final String TOKEN = "token";
    public static final String RESET = "reset";
    public static final String H = "h";
    public static final String C = "c";
    public static final String H_OUT = "h_out";
    public static final String C_OUT = "c_out";

    /** The ONNX opset the exporter writes. */
    public static final int OPSET = 17;

    private OnnxContract() {}

    /**
     * The encoder graph's inputs for an encoder family ({@link EncoderFamily#graphInputs()}).
     *
     * @throws BundleException for an unknown family, listing the known ones
     */
    public static java.util.Set<String> encoderInputs(String family) {
        return EncoderFamilies.forName(family).graphInputs();
    }

    /**
     * Checks token ids before they reach a graph: every id in {@code [0, vocabularySize)} and every
     * sentence ending in {@code </s>}. ONNX's Gather reads a negative index from the end of the
     * embedding table, so an unchecked -1 would be silently encoded as the last word.
     *
     * @throws IllegalArgumentException naming the sentence, the position and the id
     */
    public static void checkTokens(java.util.List<int[]> sentences, int vocabularySize) {
        for (int i = 0; i < sentences.size(); i++) {
            int[] s = sentences.get(i);
            if (s == null || s.length == 0 || s[s.length - 1] != Vocabulary.EOS_ID) {
                throw new IllegalArgumentException("sentence " + i + " must end with </s> (id " + Vocabulary.EOS_ID + "); use SentenceEncoder");
            }
            for (int t = 0; t < s.length; t++) {
                if (s[t] < 0 || s[t] >= vocabularySize) {
                    throw new IllegalArgumentException("sentence " + i + ", position " + t + ": token id " + s[t] + " is outside the vocabulary [0, "
                            + vocabularySize + "); use SentenceEncoder");
                }
            }
        }
    }

    /** The encoder's outputs for a latent family, in the order the runtime reads them. */
    public static java.util.List<String> encoderOutputs(LatentType type) {
        return switch (type) {
            case GAUSSIAN -> java.util.List.of(MEAN, LOGVAR);
            case BERNOULLI, CATEGORICAL -> java.util.List.of(LOGITS);
            case NONE -> throw new IllegalArgumentException("the language-model baseline has no encoder");
        };
    }
}
