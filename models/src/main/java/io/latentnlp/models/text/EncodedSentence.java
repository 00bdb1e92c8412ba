package io.latentnlp.models.text;

/**
 * A sentence as model input: vocabulary ids of its units (normalized words, or word pieces of an
 * open vocabulary) followed by {@code </s>}.
 *
 * @param ids unit ids, the last one always {@link Vocabulary#EOS_ID}; length at least 1
 * @param unknownCount how many units mapped to {@code <unk>}
 * @param originalLength units before truncation
 * @param truncated whether units beyond the maximum length were dropped
 * @param text the normalized tokens that reached the model, joined by single spaces: what an
 *     encoder family that reads text (a pretrained backbone) sees; null when only ids are known
 * @param origins for each unit but {@code </s>}, the index of the input (pipeline) token it came
 *     from, non-decreasing: several units may share a token (word pieces, a clitic joined to its
 *     word), and a token may have none (it was joined to the one before it, or dropped)
 */
public record EncodedSentence(int[] ids, int unknownCount, int originalLength, boolean truncated, String text, int[] origins) {

    public EncodedSentence {
        if (origins.length != ids.length - 1) {
            throw new IllegalArgumentException("origins: " + origins.length + " entries for " + (ids.length - 1) + " units");
        }
    }

    /** A sentence known only by its ids, one unit per input token (encoder families that read text cannot encode it). */
    public static EncodedSentence ofIds(int[] ids) {
        return of(ids, null);
    }

    /** A sentence by its ids and the text a backbone reads, one unit per input token, nothing unknown or truncated. */
    public static EncodedSentence of(int[] ids, String text) {
        int[] origins = new int[ids.length - 1];
        java.util.Arrays.setAll(origins, i -> i);
        return new EncodedSentence(ids, 0, ids.length - 1, false, text, origins);
    }

    /** The ids of each sentence. */
    public static java.util.List<int[]> ids(java.util.List<EncodedSentence> sentences) {
        return sentences.stream().map(EncodedSentence::ids).toList();
    }

    /** Number of predicted units, {@code </s>} included (the denominator of perplexity). */
    public int length() {
        return ids.length;
    }

    /** Units of the sentence that reached the model, {@code </s>} excluded. */
    public int tokenCount() {
        return ids.length - 1;
    }

    /**
     * Per-unit values summed per input token: entry t is the sum over the units that came from
     * token t, NaN for a token with no unit (joined to the one before it, dropped, or truncated).
     *
     * @param perUnit one value per unit, {@code </s>} may follow (it is not attributed to a token)
     * @param tokens the number of input tokens
     */
    public double[] perToken(float[] perUnit, int tokens) {
        double[] out = new double[tokens];
        java.util.Arrays.fill(out, Double.NaN);
        for (int u = 0; u < origins.length; u++) {
            int t = origins[u];
            if (t < tokens) {
                out[t] = Double.isNaN(out[t]) ? perUnit[u] : out[t] + perUnit[u];
            }
        }
        return out;
    }
}
