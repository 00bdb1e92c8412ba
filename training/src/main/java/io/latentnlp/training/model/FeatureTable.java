package io.latentnlp.training.model;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pretrained backbone's embedding of every sentence a training run encodes, keyed by the
 * sentence's id array itself (its identity, not its content). The run's sentences are the id
 * arrays of its encoded corpora, and batches, validation and evaluation pass those very arrays on,
 * so each lookup finds the embedding of its own corpus line, even where two lines share ids
 * because of {@code <unk>}. Filled once, then read-only; safe to read from several threads.
 */
public final class FeatureTable {

    private final Map<int[], float[]> rows = new IdentityHashMap<>();
    private final int dim;

    public FeatureTable(int dim) {
        this.dim = dim;
    }

    /** Registers {@code features[i]} as the embedding of {@code sentences.get(i)}. */
    public void putAll(List<int[]> sentences, float[][] features) {
        if (sentences.size() != features.length) {
            throw new IllegalArgumentException(sentences.size() + " sentences but " + features.length + " feature rows");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != dim) {
                throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " entries, expected " + dim);
            }
            rows.put(sentences.get(i), features[i]);
        }
    }

    public int dim() {
        return dim;
    }

    /** The embedding of one sentence (the table's own array: do not modify). */
    public float[] row(int[] sentence) {
        float[] f = rows.get(sentence);
        if (f == null) {
            throw new IllegalStateException("no backbone features for a sentence of " + sentence.length + " ids: the pretrained encoder in training "
                    + "encodes only the run's own corpus sentences");
        }
        return f;
    }

    /** The embeddings of {@code sentences}, row-major [B * F]. */
    public float[] rows(List<int[]> sentences) {
        float[] out = new float[sentences.size() * dim];
        for (int i = 0; i < sentences.size(); i++) {
            float[] f = rows.get(sentences.get(i));
            if (f == null) {
                throw new IllegalStateException("no backbone features for sentence " + i + " of the batch: the pretrained encoder in training "
                        + "encodes only the run's own corpus sentences");
            }
            System.arraycopy(f, 0, out, i * dim, dim);
        }
        return out;
    }
}
