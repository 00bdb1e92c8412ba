package io.latentnlp.index;

import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns tokenized texts into {@link HashIndex.Text}s with a model: each sentence gets the bundle's
 * hash of its posterior and its latent E_q[z]; the document gets the majority vote of its
 * sentences' bits ({@link DocumentCodes#vote} at 1/2 per bit) and the mean of their latents.
 * The text stored is the sentences' tokens joined by spaces, one sentence per line.
 * Thread-safe (the model is).
 */
public final class TextEncoder {

    private final SentenceAnalyzer analyzer;

    public TextEncoder(SentenceVae model) {
        this.analyzer = SentenceAnalyzer.builder(model).optLikelihoods(false).build();
    }

    /** Splits a query string into tokens ({@link SimpleTokenizer}). */
    public static List<String> tokenize(String text) {
        return SimpleTokenizer.tokenize(text);
    }

    /** A sentence's code and latent. */
    public record Encoded(SemanticHash hash, float[] latent) {}

    /** Codes of sentences (token lists), batched through the model. */
    public List<Encoded> encode(List<List<String>> sentences) {
        return analyzer.analyzeTokens(sentences).stream().map(r -> new Encoded(r.hash(), r.latent())).toList();
    }

    /**
     * A text ready for {@link HashIndex#add}.
     *
     * @param sentences tokenized sentences, at least one
     */
    public HashIndex.Text text(String id, List<List<String>> sentences) {
        return text(id, sentences, n -> {});
    }

    /** Sentences encoded per call of a long text's progress: the codes do not depend on the batch. */
    static final int PROGRESS_CHUNK = 256;

    /**
     * {@link #text(String, List)}, reporting to {@code progress} how many of the text's sentences
     * are encoded so far, every {@value #PROGRESS_CHUNK} sentences and at the end (a text of
     * 50,000 sentences takes seconds).
     */
    public HashIndex.Text text(String id, List<List<String>> sentences, java.util.function.IntConsumer progress) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("document " + id + " has no sentences");
        }
        List<SentenceResult> results = new ArrayList<>(sentences.size());
        for (int from = 0; from < sentences.size(); from += PROGRESS_CHUNK) {
            results.addAll(analyzer.analyzeTokens(sentences.subList(from, Math.min(sentences.size(), from + PROGRESS_CHUNK))));
            progress.accept(results.size());
        }
        DocumentResult d = DocumentResult.of(results);
        StringBuilder text = new StringBuilder();
        List<HashIndex.Sentence> spans = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            int begin = text.length();
            text.append(String.join(" ", sentences.get(i)));
            SentenceResult r = d.sentences().get(i);
            spans.add(new HashIndex.Sentence(begin, text.length(), r.hash(), r.latent()));
        }
        return new HashIndex.Text(id, text.toString(), d.hash(), d.latent(), spans);
    }
}
