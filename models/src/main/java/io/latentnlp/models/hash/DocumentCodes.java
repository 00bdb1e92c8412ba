package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import java.util.Arrays;
import java.util.List;

/**
 * A document's code from its sentences' codes by a balanced bit vote: for each bit, the share of
 * the document's sentences that have it set, compared with a per-bit threshold. With thresholds
 * at the median share over a reference set of documents (the training documents), each bit
 * splits those documents in half, as the median-threshold hash does for Gaussian means; with 1/2
 * everywhere it is a plain majority vote. Works for any binary code, so every method is
 * aggregated the same way. Stateless.
 */
public final class DocumentCodes {

    private DocumentCodes() {}

    /** Per bit, the share of {@code sentences} with the bit set. */
    public static double[] shares(List<SemanticHash> sentences) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("a document needs at least one sentence code");
        }
        int bits = sentences.get(0).bits();
        double[] share = new double[bits];
        for (SemanticHash h : sentences) {
            if (h.bits() != bits) {
                throw new IllegalArgumentException("sentence codes of " + bits + " and " + h.bits() + " bits in one document");
            }
            for (int i = 0; i < bits; i++) {
                if (h.bit(i)) {
                    share[i]++;
                }
            }
        }
        for (int i = 0; i < bits; i++) {
            share[i] /= sentences.size();
        }
        return share;
    }

    /** Per bit, the median of the documents' shares ({@link #shares}). */
    public static double[] medianShares(List<List<SemanticHash>> documents) {
        double[][] s = documents.stream().map(DocumentCodes::shares).toArray(double[][]::new);
        int bits = s[0].length;
        double[] median = new double[bits];
        double[] column = new double[s.length];
        for (int i = 0; i < bits; i++) {
            for (int d = 0; d < s.length; d++) {
                column[d] = s[d][i];
            }
            Arrays.sort(column);
            int n = column.length;
            median[i] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return median;
    }

    /** The document code: bit i is 1 when the share of sentences with bit i set is above {@code thresholds[i]}. */
    public static SemanticHash vote(List<SemanticHash> sentences, double[] thresholds) {
        double[] share = shares(sentences);
        if (share.length != thresholds.length) {
            throw new IllegalArgumentException(share.length + "-bit sentence codes with " + thresholds.length + " thresholds");
        }
        boolean[] bits = new boolean[share.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = share[i] > thresholds[i];
        }
        return SemanticHash.fromBits(bits);
    }

    /** The plain majority vote: bit i is 1 when more than half of the sentences have it set. */
    public static SemanticHash majority(List<SemanticHash> sentences) {
        double[] half = new double[sentences.get(0).bits()];
        Arrays.fill(half, 0.5);
        return vote(sentences, half);
    }

    /** The element-wise mean of latent vectors (a document's latent from its sentences'). */
    public static float[] meanLatent(List<float[]> latents) {
        if (latents.isEmpty()) {
            throw new IllegalArgumentException("a document needs at least one sentence latent");
        }
        float[] mean = new float[latents.get(0).length];
        for (float[] l : latents) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += l[k] / latents.size();
            }
        }
        return mean;
    }
}
