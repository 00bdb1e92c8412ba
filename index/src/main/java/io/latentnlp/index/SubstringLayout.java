package io.latentnlp.index;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * How multi-index hashing cuts a b-bit code into m disjoint substrings of near-equal length
 * (the first b mod m substrings one bit longer), and the substring arithmetic it needs. Codes
 * are packed most significant bit first, as {@link io.latentnlp.models.hash.SemanticHash#words()}.
 * A layout may first permute the bits ({@link #order()}): substring j is then the bits
 * {@code order[start(j)] ... order[start(j) + length(j) - 1]} of the code, which lets a
 * {@link LayoutPlanner} spread correlated bits over different substrings. Immutable.
 *
 * <p>The exactness argument (Norouzi et al., multi-index hashing): if two codes are within
 * Hamming distance r, at least one of their m substrings is within distance floor(r / m), since
 * the substring distances sum to the full distance. A permutation of the bits changes no
 * distance, so the argument holds for any order.
 */
public final class SubstringLayout {

    /** The longest substring: values are enumerated as masks in a long, and tables stay small. */
    public static final int MAX_SUBSTRING_BITS = 32;

    private final int bits;
    private final int[] start;
    private final int[] length;
    /** Source bit of each permuted position, or null for the identity. */
    private final int[] order;
    /**
     * Byte tables of the permutation: entry ((p * 256) + v) * words + w is word w of the permuted
     * code of a code whose only set bits are byte p's value v. Null for the identity.
     */
    private final long[] byteTables;
    private final int words;

    /**
     * A layout of contiguous substrings in the code's own bit order.
     *
     * @param bits code length
     * @param m number of substrings, such that no substring exceeds {@link #MAX_SUBSTRING_BITS}
     */
    public SubstringLayout(int bits, int m) {
        this(bits, m, null);
    }

    /**
     * A layout over permuted bits.
     *
     * @param order a permutation of 0 .. bits-1: position p of the permuted code holds bit
     *     order[p] of the code; null for the identity
     */
    public SubstringLayout(int bits, int m, int[] order) {
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
        this.words = (bits + 63) >>> 6;
        this.start = new int[m];
        this.length = new int[m];
        int at = 0;
        for (int j = 0; j < m; j++) {
            length[j] = bits / m + (j < bits % m ? 1 : 0);
            start[j] = at;
            at += length[j];
        }
        if (order == null || isIdentity(order)) {
            this.order = null;
            this.byteTables = null;
        } else {
            checkPermutation(bits, order);
            this.order = order.clone();
            this.byteTables = byteTables(bits, words, this.order);
        }
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static void checkPermutation(int bits, int[] order) {
        if (order.length != bits) {
            throw new IllegalArgumentException("a bit order of " + order.length + " positions for " + bits + "-bit codes; it must list every bit once");
        }
        boolean[] seen = new boolean[bits];
        for (int b : order) {
            if (b < 0 || b >= bits || seen[b]) {
                throw new IllegalArgumentException("bit order " + Arrays.toString(order) + " is not a permutation of 0.." + (bits - 1));
            }
            seen[b] = true;
        }
    }

    private static long[] byteTables(int bits, int words, int[] order) {
        int bytes = (bits + 7) >>> 3;
        int[] target = new int[bits];
        for (int p = 0; p < bits; p++) {
            target[order[p]] = p;
        }
        long[] t = new long[bytes * 256 * words];
        for (int p = 0; p < bytes; p++) {
            for (int v = 0; v < 256; v++) {
                for (int b = 0; b < 8; b++) {
                    int source = 8 * p + b;
                    if (source < bits && (v & (0x80 >>> b)) != 0) {
                        int q = target[source];
                        t[((p << 8) + v) * words + (q >>> 6)] |= 1L << (63 - (q & 63));
                    }
                }
            }
        }
        return t;
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

    /** First position of substring j (in the permuted code). */
    public int start(int j) {
        return start[j];
    }

    /** The bit order (a copy), or null when substrings are contiguous in the code's own order. */
    public int[] order() {
        return order == null ? null : order.clone();
    }

    /** The value of substring j of a packed code. */
    public long substring(long[] words, int j) {
        if (order == null) {
            return extract(words, 0, start[j], length[j]);
        }
        return extract(permute(words, 0, new long[this.words]), 0, start[j], length[j]);
    }

    /**
     * The code at word {@code base} of {@code data} in this layout's bit order, written to
     * {@code out} (of {@code ceil(bits / 64)} words), which is returned; substrings are then
     * contiguous: {@code extract(out, 0, start(j), length(j))}.
     */
    long[] permute(long[] data, int base, long[] out) {
        if (order == null) {
            System.arraycopy(data, base, out, 0, words);
            return out;
        }
        Arrays.fill(out, 0, words, 0L);
        int bytes = (bits + 7) >>> 3;
        for (int p = 0; p < bytes; p++) {
            int bit = p << 3;
            int v = (int) (data[base + (bit >>> 6)] >>> (56 - (bit & 63))) & 0xff;
            if (v == 0) {
                continue;
            }
            int at = ((p << 8) + v) * words;
            for (int w = 0; w < words; w++) {
                out[w] |= byteTables[at + w];
            }
        }
        return out;
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

    /** m, the substring lengths and, when permuted, the bits of each substring. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("m=").append(start.length).append(" (");
        for (int j = 0; j < start.length; j++) {
            sb.append(j == 0 ? "" : ", ").append(length[j]);
            if (order != null) {
                sb.append(" bits ").append(Arrays.toString(Arrays.copyOfRange(order, start[j], start[j] + length[j])));
            }
        }
        return sb.append(order == null ? " bits, contiguous)" : ")").toString();
    }
}
