package io.latentnlp.models.text;

import java.util.List;

/**
 * Turns tokens into model input: {@link TokenNormalizer}, then (for an open vocabulary) word
 * pieces by the bundle's {@link Subwords}, then {@link Vocabulary} ids, then truncation to {@code
 * maxLength} units, then {@code </s>}. Every unit remembers the input token it came from, so
 * per-unit scores can be summed per pipeline token. Immutable and thread-safe.
 */
public final class SentenceEncoder {

    private final TokenNormalizer normalizer;
    private final Vocabulary vocabulary;
    private final int maxLength;
    private final Subwords subwords;

    /** A word-vocabulary encoder (each normalized token is one unit). */
    public SentenceEncoder(TokenNormalizer normalizer, Vocabulary vocabulary, int maxLength) {
        this(normalizer, vocabulary, maxLength, null);
    }

    /**
     * @param maxLength the most units kept per sentence (before {@code </s>}); at least 1
     * @param subwords the word-piece segmenter of an open vocabulary; null for a word vocabulary
     */
    public SentenceEncoder(TokenNormalizer normalizer, Vocabulary vocabulary, int maxLength, Subwords subwords) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("illegal maxLength " + maxLength + ": must be at least 1");
        }
        this.normalizer = normalizer;
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        this.subwords = subwords;
    }

    /** Encodes raw tokens (as a tokenizer produced them). An empty list gives just {@code </s>}. */
    public EncodedSentence encode(List<String> rawTokens) {
        TokenNormalizer.Aligned aligned = normalizer.normalizeAligned(rawTokens);
        List<String> tokens = aligned.tokens();
        List<String> units;
        int[] unitWord; // for each unit, its normalized token
        if (subwords == null) {
            units = tokens;
            unitWord = new int[tokens.size()];
            java.util.Arrays.setAll(unitWord, i -> i);
        } else {
            Subwords.Segmented s = subwords.segment(tokens);
            units = s.pieces();
            unitWord = s.words();
        }
        int n = Math.min(units.size(), maxLength);
        int[] ids = new int[n + 1];
        int[] origins = new int[n];
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            int id = vocabulary.id(units.get(i));
            if (id == Vocabulary.UNK_ID) {
                unknown++;
            }
            ids[i] = id;
            origins[i] = aligned.origins()[unitWord[i]];
        }
        ids[n] = Vocabulary.EOS_ID;
        // the text a backbone reads: the normalized tokens the kept units belong to
        int words = n == 0 ? 0 : unitWord[n - 1] + 1;
        return new EncodedSentence(ids, unknown, units.size(), units.size() > n, String.join(" ", tokens.subList(0, words)), origins);
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

    /** The word-piece segmenter, or null for a word vocabulary. */
    public Subwords subwords() {
        return subwords;
    }
}
