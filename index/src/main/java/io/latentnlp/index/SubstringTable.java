package io.latentnlp.index;

import java.util.Arrays;

/**
 * One multi-index hashing table ({@link MultiIndexHash}): substring value to the ordinals of the
 * codes that have it, as compressed-sparse-row arrays, dense (2^len + 1 offsets) up to {@value
 * #DENSE_MAX_BITS}-bit substrings, sorted keys with binary search above, with a copy of the codes
 * in bucket order so that verifying a bucket reads memory sequentially. Immutable.
 */
final class SubstringTable {

    private static final int DENSE_MAX_BITS = 22;

    /** Sorted distinct keys (sparse tables) or null (dense: the key is the index). */
    private final long[] keys;
    private final int[] offsets;
    private final int[] ordinals;
    /** The codes in bucket order, so verifying a bucket reads memory sequentially. */
    private final long[] inline;
    private final int words;

    private SubstringTable(long[] keys, int[] offsets, int[] ordinals, long[] inline, int words) {
        this.keys = keys;
        this.offsets = offsets;
        this.ordinals = ordinals;
        this.inline = inline;
        this.words = words;
    }

    /** The table of one substring position, from every code's value there (unsigned ints of {@code len} bits). */
    static SubstringTable build(PackedCodes codes, int len, int[] value) {
        int n = codes.size();
        int words = codes.words();
        long[] data = codes.data();
        long[] inline = new long[n * words];
        int[] ordinals = new int[n];
        if (len <= DENSE_MAX_BITS) {
            int[] offsets = new int[(1 << len) + 1];
            for (int v : value) {
                offsets[v + 1]++;
            }
            for (int i = 1; i < offsets.length; i++) {
                offsets[i] += offsets[i - 1];
            }
            int[] fill = Arrays.copyOf(offsets, offsets.length - 1);
            // One sequential pass over the codes, scattering ordinals and codes into bucket order.
            for (int i = 0; i < n; i++) {
                int at = fill[value[i]]++;
                ordinals[at] = i;
                System.arraycopy(data, i * words, inline, at * words, words);
            }
            return new SubstringTable(null, offsets, ordinals, inline, words);
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (value[i] & 0xffffffffL) << 31 | i;
        }
        Arrays.sort(packed);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || packed[i] >>> 31 != packed[i - 1] >>> 31) {
                distinct++;
            }
        }
        long[] keys = new long[distinct];
        int[] offsets = new int[distinct + 1];
        int k = -1;
        for (int i = 0; i < n; i++) {
            long key = packed[i] >>> 31;
            if (k < 0 || keys[k] != key) {
                keys[++k] = key;
                offsets[k] = i;
            }
            ordinals[i] = (int) (packed[i] & 0x7fffffffL);
            System.arraycopy(data, ordinals[i] * words, inline, i * words, words);
        }
        offsets[distinct] = n;
        return new SubstringTable(keys, offsets, ordinals, inline, words);
    }

    /** Verifies the bucket of a substring value: full distances from the inline codes, then dedup. */
    void verify(long value, MultiIndexHash.Search st) {
        int slot;
        if (keys == null) {
            slot = (int) value;
        } else {
            slot = Arrays.binarySearch(keys, value);
            if (slot < 0) {
                return;
            }
        }
        long[] q = st.query;
        int end = offsets[slot + 1];
        if (words == 1) {
            long q0 = q[0];
            for (int i = offsets[slot]; i < end; i++) {
                int d = Long.bitCount(inline[i] ^ q0);
                if (d <= st.acc.threshold() && st.accepts(ordinals[i]) && st.visited.mark(ordinals[i])) {
                    st.acc.accept(ordinals[i], d);
                }
            }
            return;
        }
        for (int i = offsets[slot]; i < end; i++) {
            int d = 0;
            for (int w = 0; w < words; w++) {
                d += Long.bitCount(inline[i * words + w] ^ q[w]);
            }
            if (d <= st.acc.threshold() && st.accepts(ordinals[i]) && st.visited.mark(ordinals[i])) {
                st.acc.accept(ordinals[i], d);
            }
        }
    }

    long bytes() {
        return (keys == null ? 0 : 8L * keys.length) + 4L * offsets.length + 4L * ordinals.length + 8L * inline.length;
    }
}
