package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.util.Arrays;

/**
 * Codes of one length packed in one flat {@code long[]} (w words per code, most significant bit
 * first), with optional latent vectors for tie-breaking. Append-only; ordinals are positions.
 * Not thread-safe while appending; safe to read from many threads once filled.
 */
public final class PackedCodes {

    private final int bits;
    private final int words;
    private long[] data;
    private float[][] latents;
    private int size;

    public PackedCodes(int bits, int capacity) {
        if (bits < 1) {
            throw new IllegalArgumentException("illegal code length " + bits);
        }
        this.bits = bits;
        this.words = (bits + 63) >>> 6;
        this.data = new long[Math.max(1, capacity) * words];
    }

    /** Codes already packed: the first {@code size} codes of {@code data} (taken, not copied), without latents. */
    static PackedCodes wrap(int bits, long[] data, int size) {
        PackedCodes c = new PackedCodes(bits, 0);
        if (data.length < (long) size * c.words) {
            throw new IllegalArgumentException(size + " codes of " + bits + " bits need " + (long) size * c.words + " words, not " + data.length);
        }
        c.data = data;
        c.size = size;
        return c;
    }

    /** Appends a code (and its latent, or null); returns its ordinal. */
    public int add(SemanticHash code, float[] latent) {
        if (code.bits() != bits) {
            throw new IllegalArgumentException("a " + code.bits() + "-bit code cannot join " + bits + "-bit codes");
        }
        return add(code.words(), latent);
    }

    /** Appends a packed code of {@link #words()} words (and its latent, or null); returns its ordinal. */
    public int add(long[] code, float[] latent) {
        if (code.length != words) {
            throw new IllegalArgumentException("a code of " + code.length + " words cannot join " + bits + "-bit codes (" + words + " words)");
        }
        if ((size + 1) * words > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, (size + 1) * words));
        }
        System.arraycopy(code, 0, data, size * words, words);
        if (latent != null) {
            if (latents == null) {
                latents = new float[Math.max(16, size + 1)][];
            } else if (size >= latents.length) {
                latents = Arrays.copyOf(latents, Math.max(latents.length * 2, size + 1));
            }
            latents[size] = latent;
        }
        return size++;
    }

    public int size() {
        return size;
    }

    public int bits() {
        return bits;
    }

    /** Words per code. */
    public int words() {
        return words;
    }

    /** The backing array: code i is at [i * words, (i + 1) * words). Do not modify. */
    long[] data() {
        return data;
    }

    /** A copy of code i's words. */
    public long[] code(int i) {
        return Arrays.copyOfRange(data, i * words, (i + 1) * words);
    }

    /** The latent of code i, or null. */
    public float[] latent(int i) {
        return latents == null || i >= latents.length ? null : latents[i];
    }

    /** Hamming distance between code i and a packed query. */
    public int distance(int i, long[] query) {
        int d = 0;
        int base = i * words;
        for (int w = 0; w < words; w++) {
            d += Long.bitCount(data[base + w] ^ query[w]);
        }
        return d;
    }

    /** Bytes of the packed codes (not counting latents). */
    public long codeBytes() {
        return (long) size * words * Long.BYTES;
    }
}
