package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.latentnlp.models.text.Vocabulary;
import java.util.List;

/**
 * A padded batch as the network reads it. {@code tokens} rows are a sentence's ids followed by
 * {@code </s>} (the encoder input and the decoder targets); {@code decoderInput} rows are
 * {@code <s>} followed by all but the last of {@code tokens} (teacher forcing).
 *
 * @param tokens [B, T] row-major, padded with {@code <pad>}
 * @param decoderInput [B, T] row-major
 * @param lengths [B] real tokens per row, {@code </s>} included
 * @param batch B
 * @param time T (the longest row)
 * @param rows the sentences the batch was made of (the pretrained encoder looks up their features)
 */
public record Batch(long[] tokens, long[] decoderInput, int[] lengths, int batch, int time, List<int[]> rows) {

    /** Pads sentences (each ending in {@code </s>}) into a batch. */
    public static Batch of(List<int[]> sentences) {
        int b = sentences.size();
        int t = 1;
        for (int[] s : sentences) {
            t = Math.max(t, s.length);
        }
        long[] tokens = new long[b * t];
        long[] input = new long[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            int[] s = sentences.get(i);
            lengths[i] = s.length;
            input[i * t] = Vocabulary.BOS_ID;
            for (int j = 0; j < s.length; j++) {
                tokens[i * t + j] = s[j];
                if (j + 1 < s.length) {
                    input[i * t + j + 1] = s[j];
                }
            }
        }
        return new Batch(tokens, input, lengths, b, t, sentences);
    }

    /**
     * Word dropout on the decoder's input (Bowman et al. 2016): each input word (not {@code <s>})
     * becomes {@code <unk>} with probability {@code rate}, so the decoder must lean on z for what it
     * cannot see. Targets and encoder input stay as they are. Draws come from {@code rng}.
     */
    public Batch withWordDropout(double rate, java.util.SplittableRandom rng) {
        if (rate <= 0) {
            return this;
        }
        long[] input = decoderInput.clone();
        for (int i = 0; i < batch; i++) {
            for (int j = 1; j < lengths[i]; j++) {
                if (rng.nextDouble() < rate) {
                    input[i * time + j] = Vocabulary.UNK_ID;
                }
            }
        }
        return new Batch(tokens, input, lengths, batch, time, rows);
    }

    /** The same batch with every row repeated k times, sample-major: row s*B + i is row i. */
    public Batch repeat(int k) {
        long[] tok = new long[tokens.length * k];
        long[] in = new long[tokens.length * k];
        int[] len = new int[batch * k];
        for (int s = 0; s < k; s++) {
            System.arraycopy(tokens, 0, tok, s * tokens.length, tokens.length);
            System.arraycopy(decoderInput, 0, in, s * tokens.length, tokens.length);
            System.arraycopy(lengths, 0, len, s * batch, batch);
        }
        List<int[]> rep = new java.util.ArrayList<>(rows.size() * k);
        for (int s = 0; s < k; s++) {
            rep.addAll(rows);
        }
        return new Batch(tok, in, len, batch * k, time, rep);
    }

    /** Predicted tokens in the batch ({@code </s>} included). */
    public long tokenCount() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }

    public NDArray tokensArray(NDManager m) {
        return m.create(tokens, new Shape(batch, time));
    }

    public NDArray decoderInputArray(NDManager m) {
        return m.create(decoderInput, new Shape(batch, time));
    }

    /** 1 at real positions, 0 at padding: [B, T]. */
    public NDArray mask(NDManager m) {
        float[] mask = new float[batch * time];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                mask[i * time + j] = 1f;
            }
        }
        return m.create(mask, new Shape(batch, time));
    }

    /** 1 at the words of each row ({@code </s>} and padding excluded): [B, T]. */
    public NDArray wordMask(NDManager m) {
        float[] mask = new float[batch * time];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < lengths[i] - 1; j++) {
                mask[i * time + j] = 1f;
            }
        }
        return m.create(mask, new Shape(batch, time));
    }

    /** 1 at each row's last real position ({@code </s>}), else 0: [B, T]. */
    public NDArray lastMask(NDManager m) {
        float[] mask = new float[batch * time];
        for (int i = 0; i < batch; i++) {
            mask[i * time + lengths[i] - 1] = 1f;
        }
        return m.create(mask, new Shape(batch, time));
    }
}
