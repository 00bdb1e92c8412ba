package io.latentnlp.examples;

import io.latentnlp.models.analysis.DocumentResult;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one-call Java API: {@link SentenceAnalyzer#analyze(String)} splits raw text into sentences
 * and tokens and gives each sentence its hash, code, log p(x|z) and per-token log-probabilities.
 * Prints the document's hash, then per sentence: hash, log p(x|z) (four decimals), the tokens, and
 * each token's log-probability (two decimals), separated by tabs.
 *
 * <p>Usage: {@code AnalyzeText [TEXT...]} (the arguments joined by spaces; a sample without any).
 */
public final class AnalyzeText {

    public static void main(String[] args) {
        String text = args.length > 0 ? String.join(" ", args) : "Raw text. Two sentences.";
        try (SentenceAnalyzer analyzer = SentenceAnalyzer.open("minilm-gaussian64")) {
            DocumentResult doc = analyzer.analyze(text);
            System.out.println("document\t" + doc.hash().toHex());
            for (SentenceResult s : doc.sentences()) {
                String logProbs = Arrays.stream(s.tokenLogProbs()).mapToObj(p -> String.format(Locale.ROOT, "%.2f", p))
                        .collect(Collectors.joining(" "));
                System.out.printf(Locale.ROOT, "%s\t%.4f\t%s\t%s%n", s.hash().toHex(), s.logLikelihood(), String.join(" ", s.tokens()), logProbs);
            }
        }
    }
}
