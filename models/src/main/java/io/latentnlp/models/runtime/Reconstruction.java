package io.latentnlp.models.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How close reconstructions are to their sentences: token-level F1 (multiset overlap of tokens,
 * order ignored) per sentence, and corpus BLEU-4 (Papineni et al. 2002: clipped n-gram precisions
 * for n = 1..4 pooled over the corpus, geometric mean, brevity penalty; no smoothing). Tokens are
 * compared as strings, so a reconstructed {@code <unk>} never matches. Stateless.
 */
public final class Reconstruction {

    private Reconstruction() {}

    /**
     * Token F1 of one reconstruction: 2PR/(P+R) with P = matched / |hypothesis| and R = matched /
     * |reference|, matches counted with multiplicity. 1 when both are empty, 0 when one is.
     */
    public static double f1(List<String> reference, List<String> hypothesis) {
        if (reference.isEmpty() && hypothesis.isEmpty()) {
            return 1;
        }
        int matched = overlap(reference, hypothesis);
        if (matched == 0) {
            return 0;
        }
        double p = matched / (double) hypothesis.size();
        double r = matched / (double) reference.size();
        return 2 * p * r / (p + r);
    }

    /** Corpus BLEU-4 in [0, 1] over pairs of reference and hypothesis (same order, same count). */
    public static double bleu(List<List<String>> references, List<List<String>> hypotheses) {
        if (references.size() != hypotheses.size()) {
            throw new IllegalArgumentException(references.size() + " references but " + hypotheses.size() + " hypotheses");
        }
        long[] matched = new long[4];
        long[] total = new long[4];
        long refLength = 0;
        long hypLength = 0;
        for (int i = 0; i < references.size(); i++) {
            List<String> ref = references.get(i);
            List<String> hyp = hypotheses.get(i);
            refLength += ref.size();
            hypLength += hyp.size();
            for (int n = 1; n <= 4; n++) {
                Map<List<String>, Integer> refGrams = grams(ref, n);
                for (Map.Entry<List<String>, Integer> e : grams(hyp, n).entrySet()) {
                    matched[n - 1] += Math.min(e.getValue(), refGrams.getOrDefault(e.getKey(), 0));
                    total[n - 1] += e.getValue();
                }
            }
        }
        double logPrecision = 0;
        for (int n = 0; n < 4; n++) {
            if (matched[n] == 0) {
                return 0;
            }
            logPrecision += Math.log(matched[n] / (double) total[n]) / 4;
        }
        double brevity = hypLength >= refLength ? 1 : Math.exp(1 - refLength / (double) hypLength);
        return brevity * Math.exp(logPrecision);
    }

    private static int overlap(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        a.forEach(t -> counts.merge(t, 1, Integer::sum));
        int matched = 0;
        for (String t : b) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                matched++;
                counts.put(t, c - 1);
            }
        }
        return matched;
    }

    private static Map<List<String>, Integer> grams(List<String> tokens, int n) {
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            out.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }
}
