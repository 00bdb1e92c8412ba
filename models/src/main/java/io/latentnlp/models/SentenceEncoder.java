package io.latentnlp.models;

import java.util.List;

/**
 * Turns tokens into model input: {@link TokenNormalizer}, then {@link Vocabulary}, then
 * truncation to {@code maxLength} tokens, then {@code </s>}. Immutable and thread-safe.
 */
public final class SentenceEncoder {

    private final TokenNormalizer normalizer;
    private final Vocabulary vocabulary;
    private final int maxLength;

    /**
     * @param maxLength the most tokens kept per sentence (before {@code </s>}); at least 1
     */
    public SentenceEncoder(TokenNormalizer normalizer, Vocabulary vocabulary, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("illegal maxLength " + maxLength + ": must be at least 1");
        }
        this.normalizer = normalizer;
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
    }

    /** Encodes raw tokens (as a tokenizer produced them). An empty list gives just {@code </s>}. */
    public EncodedSentence encode(List<String> rawTokens) {
        List<String> tokens = normalizer.normalize(rawTokens);
        int n = Math.min(tokens.size(), maxLength);
        int[] ids = new int[n + 1];
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            int id = vocabulary.id(tokens.get(i));
            if (id == Vocabulary.UNK_ID) {
                unknown++;
            }
            ids[i] = id;
        }
        ids[n] = Vocabulary.EOS_ID;
        return new EncodedSentence(ids, unknown, tokens.size(), tokens.size() > n, String.join(" ", tokens.subList(0, n)));
    }

    public TokenNormalizer normalizer() {
        return normalizer;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int maxLength() {
        return maxLength;
    }
}
