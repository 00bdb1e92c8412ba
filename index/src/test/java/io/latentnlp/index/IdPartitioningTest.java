package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link IdPartitioning} equals Spark's {@code hash()} of a string column (values computed with
 * spark-unsafe 3.5's {@code Murmur3_x86_32.hashUnsafeBytes(bytes, 42)}; {@code hash('')} =
 * 142593372 is Spark's documented value). The spark module checks the shards Spark writes.
 */
class IdPartitioningTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"'', 142593372, 5", "a, 1485273170, 3", "doc-1, -604881692, 5", "a/notes.txt, 2032060371, 5", "näive, 763262531, 3",
        "日本語, -1143049834, 4", "abcd, -396302900, 0", "abcde, 814637928, 6"})
    void equalsSparksHashAndPmod(String id, int sparkHash, int shardOfSeven) {
        byte[] b = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(sparkHash, IdPartitioning.sparkHash(b, 0, b.length));
        assertEquals(shardOfSeven, IdPartitioning.shardOf(id, 7));
        assertEquals(0, IdPartitioning.shardOf(id, 1));
    }

    @org.junit.jupiter.api.Test
    void zeroShardsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdPartitioning.shardOf("a", 0));
        assertEquals("illegal number of shards 0: must be at least 1", e.getMessage());
    }
}
