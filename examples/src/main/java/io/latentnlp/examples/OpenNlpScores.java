package io.latentnlp.examples;

import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The OpenNLP-style API: {@link SentenceVaeModel} (the shipped default model) and {@link
 * SentenceVaeME} over tokenized sentences; prints one line per sentence: hash in hex, log p(x|z) in
 * nats (four decimals), and the tokens, separated by tabs.
 *
 * <p>Usage: {@code OpenNlpScores [SENTENCE...]}, each argument one sentence of whitespace-separated
 * tokens (two sample sentences without any).
 */
public final class OpenNlpScores {

    public static void main(String[] args) {
        String[] lines = args.length > 0 ? args
                : new String[] {"The jury said it did not find any evidence .", "She smiled and walked into the kitchen ."};
        String[][] sentences = Arrays.stream(lines).map(l -> l.trim().split("\\s+")).toArray(String[][]::new);
        try (SentenceVaeModel model = new SentenceVaeModel()) {
            SentenceVaeME vae = new SentenceVaeME(model);
            SentenceVaeME.Result[] results = vae.encode(sentences);
            for (int i = 0; i < results.length; i++) {
                System.out.printf(Locale.ROOT, "%s\t%.4f\t%s%n",
                        results[i].hash().toHex(), results[i].logLikelihood(), String.join(" ", sentences[i]));
            }
        }
    }
}
