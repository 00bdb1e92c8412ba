package io.latentnlp.index;

import java.nio.charset.StandardCharsets;

/**
 * Which shard of a sharded index holds a text id: the partitioning of the Spark index job, which
 * repartitions rows by the id's string ({@code Dataset.repartition(n, col)}, Spark's
 * {@code HashPartitioning}: {@code pmod(murmur3(id, seed 42), n)}). Recomputed here, without
 * Spark, so that {@code latent-nlp index add} and {@code delete} find the shard the job put a text
 * in; the spark module's tests check it against the shards Spark writes.
 *
 * <p>Spark hashes a string's UTF-8 bytes with its {@code Murmur3_x86_32.hashUnsafeBytes}, which
 * differs from reference MurmurHash3 in the tail: each of the last {@code length % 4} bytes is
 * mixed on its own, as a sign-extended int block (kept by Spark for compatibility). Stateless.
 */
public final class IdPartitioning {

    /** The name written into {@code shards.json} for this partitioning. */
    public static final String NAME = "spark-murmur3-42";

    private static final int SEED = 42;
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private IdPartitioning() {}

    /**
     * The shard, in {@code [0, shards)}, of a text id.
     *
     * @param shards the number of shards, at least 1
     */
    public static int shardOf(String id, int shards) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        return shardOf(utf8, 0, utf8.length, shards);
    }

    /** {@link #shardOf(String, int)} of an id given as UTF-8 bytes (as Lucene's terms hold it). */
    static int shardOf(byte[] utf8, int offset, int length, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("illegal number of shards " + shards + ": must be at least 1");
        }
        return Math.floorMod(sparkHash(utf8, offset, length), shards);
    }

    /** Spark's {@code Murmur3_x86_32.hashUnsafeBytes(bytes, seed 42)}. */
    static int sparkHash(byte[] b, int offset, int length) {
        int aligned = length - length % 4;
        int h1 = SEED;
        for (int i = 0; i < aligned; i += 4) {
            int p = offset + i;
            int word = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24; // little-endian
            h1 = mixH1(h1, mixK1(word));
        }
        for (int i = aligned; i < length; i++) {
            h1 = mixH1(h1, mixK1(b[offset + i])); // the byte sign-extended, one block per byte
        }
        return fmix(h1, length);
    }

    private static int mixK1(int k1) {
        return Integer.rotateLeft(k1 * C1, 15) * C2;
    }

    private static int mixH1(int h1, int k1) {
        return Integer.rotateLeft(h1 ^ k1, 13) * 5 + 0xe6546b64;
    }

    private static int fmix(int h1, int length) {
        h1 ^= length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        return h1 ^ h1 >>> 16;
    }
}
