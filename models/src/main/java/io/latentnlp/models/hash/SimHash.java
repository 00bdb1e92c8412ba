package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.GaussianMath;
import io.latentnlp.models.latent.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random-hyperplane SimHash (Charikar 2002) over TF-IDF vectors: bit i is 1 when the TF-IDF
 * vector of a text has a positive dot product with the i-th random Gaussian direction. The
 * baseline that semantic-hashing models are compared with. Immutable after construction and
 * thread-safe.
 */
public final class SimHash {

    private final int vocab;
    private final int bits;
    private final double[] idf;
    private final float[] planes;

    /**
     * @param documents the texts that define document frequencies, as token ids in [0, vocab)
     * @param vocab vocabulary size
     * @param bits code length
     * @param seed seed of the random hyperplanes
     */
    public SimHash(List<int[]> documents, int vocab, int bits, long seed) {
        if (bits < 1) {
            throw new IllegalArgumentException("illegal bits " + bits + ": must be at least 1");
        }
        this.vocab = vocab;
        this.bits = bits;
        int[] df = new int[vocab];
        for (int[] doc : documents) {
            java.util.BitSet seen = new java.util.BitSet(vocab);
            for (int id : doc) {
                if (!seen.get(id)) {
                    seen.set(id);
                    df[id]++;
                }
            }
        }
        idf = new double[vocab];
        for (int t = 0; t < vocab; t++) {
            // smoothed idf, as scikit-learn's TfidfVectorizer
            idf[t] = Math.log((1.0 + documents.size()) / (1.0 + df[t])) + 1.0;
        }
        planes = new float[bits * vocab];
        SplittableRandom rng = Seeds.stream(seed, bits, vocab);
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (float) GaussianMath.gaussian(rng);
        }
    }

    /** The code of a text given as token ids; an empty text gets the all-zero code. */
    public SemanticHash hash(int[] tokens) {
        java.util.Map<Integer, Integer> tf = new java.util.HashMap<>();
        for (int id : tokens) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocab + ")");
            }
            tf.merge(id, 1, Integer::sum);
        }
        boolean[] code = new boolean[bits];
        for (int b = 0; b < bits; b++) {
            double dot = 0;
            for (java.util.Map.Entry<Integer, Integer> e : tf.entrySet()) {
                dot += e.getValue() * idf[e.getKey()] * planes[b * vocab + e.getKey()];
            }
            code[b] = dot > 0;
        }
        return SemanticHash.fromBits(code);
    }

    public int bits() {
        return bits;
    }
}
