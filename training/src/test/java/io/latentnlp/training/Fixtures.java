package io.latentnlp.training;

import io.latentnlp.models.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small deterministic data for tests. */
final class Fixtures {

    private Fixtures() {}

    /** A vocabulary of the specials and {@code words} tokens w0, w1, ... */
    static Vocabulary vocabulary(int words) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < words; i++) {
            counts.put("w" + i, (long) (words - i));
        }
        return Vocabulary.build(counts, words + 4, 1);
    }

    /** Random sentences of lengths 1..maxLen (cycling), ids in [4, vocab), each ending in </s>. */
    static List<int[]> randomSentences(int n, int maxLen, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 1 + (i % maxLen);
            int[] s = new int[len + 1];
            for (int j = 0; j < len; j++) {
                s[j] = 4 + rng.nextInt(vocab - 4);
            }
            s[len] = Vocabulary.EOS_ID;
            out.add(s);
        }
        return out;
    }
}
