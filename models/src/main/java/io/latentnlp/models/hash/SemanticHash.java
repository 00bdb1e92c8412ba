package io.latentnlp.models.hash;

import java.util.Arrays;

/**
 * A binary code of a fixed number of bits, packed into {@code long} words, with its hex form and
 * Hamming distance. Bit 0 is the most significant bit of the first hex digit, so the hex form
 * reads the bits in order. Immutable and thread-safe.
 */
public final class SemanticHash {

    private final long[] words;
    private final int bits;

    private SemanticHash(long[] words, int bits) {
        this.words = words;
        this.bits = bits;
    }

    /** A hash from bit values, bit i = {@code bits[i]}. */
    public static SemanticHash fromBits(boolean[] bits) {
        if (bits.length == 0) {
            throw new IllegalArgumentException("a semantic hash needs at least one bit");
        }
        long[] words = new long[(bits.length + 63) >>> 6];
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                words[i >>> 6] |= 1L << (63 - (i & 63));
            }
        }
        return new SemanticHash(words, bits.length);
    }

    /**
     * A hash from packed words (bit i is bit 63 - i mod 64 of word i / 64), as {@link #words()}
     * returns them.
     *
     * @throws IllegalArgumentException when the word count does not fit {@code bits} or bits
     *     beyond the length are set
     */
    public static SemanticHash fromWords(long[] words, int bits) {
        if (bits <= 0 || words.length != (bits + 63) >>> 6) {
            throw new IllegalArgumentException(words.length + " words cannot hold a " + bits + "-bit hash");
        }
        int rest = bits & 63;
        if (rest != 0 && (words[words.length - 1] & (-1L >>> rest)) != 0) {
            throw new IllegalArgumentException("bits beyond the " + bits + "-bit length are set");
        }
        return new SemanticHash(words.clone(), bits);
    }

    /**
     * Parses the hex form of a {@code bits}-bit hash.
     *
     * @throws IllegalArgumentException naming the problem: wrong length, a non-hex character, or
     *     bits that are not a multiple of 4
     */
    public static SemanticHash fromHex(String hex, int bits) {
        if (bits <= 0 || bits % 4 != 0) {
            throw new IllegalArgumentException("illegal hash length " + bits + " bits: a hex code needs a positive multiple of 4 bits");
        }
        if (hex.length() != bits / 4) {
            throw new IllegalArgumentException("hex code '" + hex + "' has " + hex.length() + " digits; a " + bits + "-bit hash has " + bits / 4);
        }
        long[] words = new long[(bits + 63) >>> 6];
        for (int d = 0; d < hex.length(); d++) {
            char c = hex.charAt(d);
            // Only ASCII hex digits: Character.digit also reads '٣' or fullwidth 'Ａ', which would
            // parse a code that does not print back as itself.
            int v = c < 128 ? Character.digit(c, 16) : -1;
            if (v < 0) {
                throw new IllegalArgumentException("hex code '" + hex + "' has a non-hex character '" + hex.charAt(d) + "' at position " + d);
            }
            int bit = d * 4;
            words[bit >>> 6] |= ((long) v) << (60 - (bit & 63));
        }
        return new SemanticHash(words, bits);
    }

    /** Number of bits. */
    public int bits() {
        return bits;
    }

    /** Bit i. */
    public boolean bit(int i) {
        if (i < 0 || i >= bits) {
            throw new IndexOutOfBoundsException("bit " + i + " of a " + bits + "-bit hash");
        }
        return (words[i >>> 6] & (1L << (63 - (i & 63)))) != 0;
    }

    /** The packed words (a copy); unused low bits of the last word are 0. */
    public long[] words() {
        return words.clone();
    }

    /** Hex form, {@code bits / 4} lower-case digits (bits must be a multiple of 4). */
    public String toHex() {
        if (bits % 4 != 0) {
            throw new IllegalStateException("a " + bits + "-bit hash has no hex form (not a multiple of 4 bits)");
        }
        StringBuilder sb = new StringBuilder(bits / 4);
        for (int bit = 0; bit < bits; bit += 4) {
            sb.append(Character.forDigit((int) ((words[bit >>> 6] >>> (60 - (bit & 63))) & 0xF), 16));
        }
        return sb.toString();
    }

    /** The number of differing bits; both hashes must have the same length. */
    public int hamming(SemanticHash other) {
        if (other.bits != bits) {
            throw new IllegalArgumentException("cannot compare a " + bits + "-bit hash with a " + other.bits + "-bit hash");
        }
        int d = 0;
        for (int w = 0; w < words.length; w++) {
            d += Long.bitCount(words[w] ^ other.words[w]);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticHash h && h.bits == bits && Arrays.equals(h.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(words) + bits;
    }

    @Override
    public String toString() {
        return bits % 4 == 0 ? toHex() : "SemanticHash(" + bits + " bits)";
    }
}
