package io.latentnlp.training;

import io.latentnlp.models.text.Vocabulary;
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

    /**
     * Writes a plain-text corpus of {@code n} sentences from two "topics" with disjoint words, so a
     * latent code has something to capture. Deterministic in {@code seed}.
     */
    static java.nio.file.Path topicCorpus(java.nio.file.Path file, int n, long seed) throws java.io.IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[][] words = {{"cats", "purr", "milk", "fur", "nap", "the", "a"}, {"ships", "sail", "sea", "wind", "port", "the", "a"}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String[] topic = words[rng.nextInt(2)];
            int len = 2 + rng.nextInt(9);
            for (int j = 0; j < len; j++) {
                sb.append(j == 0 ? "" : " ").append(topic[rng.nextInt(topic.length)]);
            }
            sb.append(" .\n");
        }
        java.nio.file.Files.writeString(file, sb.toString());
        return file;
    }

    /**
     * Writes a labelled corpus in the Brown .tsv format (doc, genre, tokens): {@code docs}
     * documents of {@code perDoc} sentences, each document from one of the two topics of {@link
     * #topicCorpus}, its genre the topic's name. Deterministic in {@code seed}.
     */
    static java.nio.file.Path labelledTopicCorpus(java.nio.file.Path file, int docs, int perDoc, long seed) throws java.io.IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[][] words = {{"cats", "purr", "milk", "fur", "nap", "the", "a"}, {"ships", "sail", "sea", "wind", "port", "the", "a"}};
        String[] genres = {"pets", "sea"};
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < docs; d++) {
            int t = rng.nextInt(2);
            for (int i = 0; i < perDoc; i++) {
                sb.append("d").append(seed).append('-').append(d).append('\t').append(genres[t]).append('\t');
                int len = 2 + rng.nextInt(9);
                for (int j = 0; j < len; j++) {
                    sb.append(j == 0 ? "" : " ").append(words[t][rng.nextInt(words[t].length)]);
                }
                sb.append(" .\n");
            }
        }
        java.nio.file.Files.writeString(file, sb.toString());
        return file;
    }

    /** A tiny configuration for fast tests. */
    static TrainConfig.Builder tinyConfig() {
        return TrainConfig.builder().embeddingDim(16).hiddenDim(24).latentDim(4).dropout(0.1).vocabSize(100).minCount(1).maxLength(20)
                .batchSize(16).epochs(2).evalSamples(3).testSamples(5).learningRate(3e-3);
    }
}
