package io.latentnlp.index;

import java.util.function.LongConsumer;

/**
 * How multi-index hashing cuts a b-bit code into m disjoint substrings of near-equal length
 * (the first b mod m substrings one bit longer), and the substring arithmetic it needs. Codes
 * are packed most significant bit first, as {@link io.latentnlp.models.SemanticHash#words()}.
 * Immutable.
 *
 * <p>The exactness argument (Norouzi et al., multi-index hashing): if two codes are within
 * Hamming distance r, at least one of their m substrings is within distance floor(r / m), since
 * the substring distances sum to the full distance.
 */
public final class SubstringLayout {

    /** The longest substring: values are enumerated as masks in a long, and tables stay small. */
    public static final int MAX_SUBSTRING_BITS = 32;

    private final int bits;
    private final int[] start;
    private final int[] length;

    /**
     * @param bits code length
     * @param m number of substrings, such that no substring exceeds {@link #MAX_SUBSTRING_BITS}
     */
    public SubstringLayout(int bits, int m) {
        if (bits < 1) {
            throw new IllegalArgumentException("illegal code length " + bits);
        }
        if (m < 1 || m > bits) {
            throw new IllegalArgumentException("illegal number of substrings " + m + " for " + bits + "-bit codes: must be in [1, " + bits + "]");
        }
        if ((bits + m - 1) / m > MAX_SUBSTRING_BITS) {
            throw new IllegalArgumentException(m + " substrings of a " + bits + "-bit code are longer than " + MAX_SUBSTRING_BITS + " bits; use at least "
                    + (bits + MAX_SUBSTRING_BITS - 1) / MAX_SUBSTRING_BITS);
        }
        this.bits = bits;
        this.start = new int[m];
        this.length = new int[m];
        int at = 0;
        for (int j = 0; j < m; j++) {
            length[j] = bits / m + (j < bits % m ? 1 : 0);
            start[j] = at;
            at += length[j];
        }
    }

    /**
     * The usual choice: substrings of about log2(n) bits (Norouzi et al.), so a table bucket holds
     * about one code, bounded to [1, {@link #MAX_SUBSTRING_BITS}] bits.
     *
     * @param expectedCodes expected number of indexed codes
     */
    public static SubstringLayout forSize(int bits, long expectedCodes) {
        double log2 = Math.log(Math.max(2, expectedCodes)) / Math.log(2);
        int m = (int) Math.max(1, Math.round(bits / log2));
        m = Math.max(m, (bits + MAX_SUBSTRING_BITS - 1) / MAX_SUBSTRING_BITS);
        return new SubstringLayout(bits, Math.min(m, bits));
    }

    public int bits() {
        return bits;
    }

    public int substrings() {
        return start.length;
    }

    public int length(int j) {
        return length[j];
    }

    /** First bit of substring j. */
    public int start(int j) {
        return start[j];
    }

    /** The value of substring j of a packed code. */
    public long substring(long[] words, int j) {
        return extract(words, 0, start[j], length[j]);
    }

    /**
     * Bits [from, from + len) of the packed MSB-first code starting at word {@code base} of
     * {@code words}, as an unsigned value (len &lt;= 64).
     */
    static long extract(long[] words, int base, int from, int len) {
        int w = base + (from >>> 6);
        int offset = from & 63;
        long value;
        if (offset + len <= 64) {
            value = words[w] >>> (64 - offset - len);
        } else {
            int rest = offset + len - 64;
            value = (words[w] << rest) | (words[w + 1] >>> (64 - rest));
        }
        return len == 64 ? value : value & ((1L << len) - 1);
    }

    /**
     * Calls {@code consumer} with every value of a {@code len}-bit substring at Hamming distance
     * exactly {@code s} from {@code value}: C(len, s) values, each once (Gosper's hack over masks).
     */
    public static void forEachAtDistance(long value, int len, int s, LongConsumer consumer) {
        if (s < 0 || s > len) {
            return;
        }
        if (s == 0) {
            consumer.accept(value);
            return;
        }
        long limit = 1L << len;
        long mask = (1L << s) - 1;
        while (mask < limit) {
            consumer.accept(value ^ mask);
            long c = mask & -mask;
            long r = mask + c;
            mask = (((r ^ mask) >>> 2) / c) | r;
        }
    }
}
