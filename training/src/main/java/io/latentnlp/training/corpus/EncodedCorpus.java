package io.latentnlp.training.corpus;

import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A corpus turned into model input, with what happened on the way.
 *
 * @param source the corpus file
 * @param ids id arrays ending in {@code </s>}
 * @param blankLines blank lines skipped while reading
 * @param truncated sentences cut to the maximum length
 * @param tokens tokens reaching the model ({@code </s>} excluded)
 * @param unknown tokens mapped to {@code <unk>}
 * @param texts per sentence, the normalized tokens that reach the model joined by spaces (what a
 *     pretrained backbone reads)
 */
public record EncodedCorpus(String source, List<int[]> ids, int blankLines, int truncated, long tokens, long unknown, List<String> texts) {

    /** Encodes every sentence of a corpus. */
    public static EncodedCorpus of(Corpus corpus, SentenceEncoder encoder) {
        List<int[]> ids = new ArrayList<>(corpus.size());
        List<String> texts = new ArrayList<>(corpus.size());
        int truncated = 0;
        long tokens = 0;
        long unknown = 0;
        for (CorpusSentence s : corpus.sentences()) {
            EncodedSentence e = encoder.encode(s.tokens());
            ids.add(e.ids());
            texts.add(e.text());
            truncated += e.truncated() ? 1 : 0;
            tokens += e.tokenCount();
            unknown += e.unknownCount();
        }
        return new EncodedCorpus(corpus.source(), ids, corpus.blankLines(), truncated, tokens, unknown, texts);
    }

    /** The sentences as the runtime takes them (ids and text). */
    public List<io.latentnlp.models.text.EncodedSentence> sentences() {
        List<io.latentnlp.models.text.EncodedSentence> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(io.latentnlp.models.text.EncodedSentence.of(ids.get(i), texts.get(i)));
        }
        return out;
    }

    /** Unknown-token rate among tokens reaching the model. */
    public double unknownRate() {
        return tokens == 0 ? 0 : (double) unknown / tokens;
    }

    /** Counts for logs and the manifest. */
    public Map<String, Object> stats() {
        return Map.of("file", source, "sentences", ids.size(), "blank_lines_skipped", blankLines, "truncated", truncated, "tokens", tokens,
                "unknown_rate", unknownRate());
    }

    /** A one-line summary. */
    public String summary() {
        return String.format("%s: %d sentences, %d tokens, %d blank lines skipped, %d truncated, unknown rate %.2f%%", source, ids.size(), tokens,
                blankLines, truncated, 100 * unknownRate());
    }
}
