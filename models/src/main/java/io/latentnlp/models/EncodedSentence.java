package io.latentnlp.models;

/**
 * A sentence as model input: vocabulary ids of its normalized tokens followed by {@code </s>}.
 *
 * @param ids token ids, the last one always {@link Vocabulary#EOS_ID}; length at least 1
 * @param unknownCount how many tokens mapped to {@code <unk>}
 * @param originalLength tokens after normalization, before truncation
 * @param truncated whether tokens beyond the maximum length were dropped
 */
public record EncodedSentence(int[] ids, int unknownCount, int originalLength, boolean truncated) {

    /** Number of predicted tokens, {@code </s>} included (the denominator of perplexity). */
    public int length() {
        return ids.length;
    }

    /** Tokens of the sentence that reached the model, {@code </s>} excluded. */
    public int tokenCount() {
        return ids.length - 1;
    }
}
