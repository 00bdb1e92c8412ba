package io.latentnlp.models;

/**
 * A sentence as model input: vocabulary ids of its normalized tokens followed by {@code </s>}.
 *
 * @param ids token ids, the last one always {@link Vocabulary#EOS_ID}; length at least 1
 * @param unknownCount how many tokens mapped to {@code <unk>}
 * @param originalLength tokens after normalization, before truncation
 * @param truncated whether tokens beyond the maximum length were dropped
 * @param text the normalized tokens that reached the model, joined by single spaces: what an
 *     encoder family that reads text (a pretrained backbone) sees; null when only ids are known
 */
public record EncodedSentence(int[] ids, int unknownCount, int originalLength, boolean truncated, String text) {

    /** A sentence known only by its ids (encoder families that read text cannot encode it). */
    public static EncodedSentence ofIds(int[] ids) {
        return new EncodedSentence(ids, 0, ids.length - 1, false, null);
    }

    /** The ids of each sentence. */
    public static java.util.List<int[]> ids(java.util.List<EncodedSentence> sentences) {
        return sentences.stream().map(EncodedSentence::ids).toList();
    }

    /** Number of predicted tokens, {@code </s>} included (the denominator of perplexity). */
    public int length() {
        return ids.length;
    }

    /** Tokens of the sentence that reached the model, {@code </s>} excluded. */
    public int tokenCount() {
        return ids.length - 1;
    }
}
