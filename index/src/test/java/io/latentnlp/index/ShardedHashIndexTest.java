package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex.Hit;
import io.latentnlp.index.HashIndex.Level;
import io.latentnlp.models.SemanticHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardedHashIndexTest {

    @TempDir
    Path dir;

    /** Texts of two sentences each, on clustered codes (many equal distances), latents optional. */
    private static List<HashIndex.Text> texts(int n, int bits, boolean latents, long seed) {
        PackedCodes docs = CodeFixtures.codes(n, bits, 12, 0.08, latents, seed);
        PackedCodes sentences = CodeFixtures.codes(2 * n, bits, 12, 0.08, latents, seed + 1);
        List<HashIndex.Text> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<HashIndex.Sentence> ss = List.of(
                    new HashIndex.Sentence(0, 3, SemanticHash.fromWords(sentences.code(2 * i), bits), sentences.latent(2 * i)),
                    new HashIndex.Sentence(4, 7, SemanticHash.fromWords(sentences.code(2 * i + 1), bits), sentences.latent(2 * i + 1)));
            out.add(new HashIndex.Text(HashIndexTest.id(i), "s" + i % 10 + "a s" + i % 7 + "b", SemanticHash.fromWords(docs.code(i), bits), docs.latent(i), ss));
        }
        return out;
    }

    /** Writes the texts as shards (by id hash, as the Spark job partitions them) and a manifest. */
    static void writeSharded(Path root, IndexIdentity identity, List<HashIndex.Text> texts, int shards) throws IOException {
        List<ShardManifest.Shard> list = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            String name = String.format("shard-%05d", s);
            long docs = 0;
            long sentences = 0;
            try (HashIndex shard = HashIndex.openForWriting(root.resolve(name), identity, 0)) {
                for (HashIndex.Text t : texts) {
                    if (Math.floorMod(t.id().hashCode(), shards) == s) {
                        shard.add(t);
                        docs++;
                        sentences += t.sentences().size();
                    }
                }
                shard.commit();
            }
            list.add(new ShardManifest.Shard(name, docs, sentences));
        }
        new ShardManifest(identity, list).write(root);
    }

    /**
     * The merged answer of 1, 2, 3 and 7 shards equals one index over the same texts, hit for hit
     * (id, position, distance, cosine, text, code, order), for k-NN and radius at both levels,
     * before and after deletions.
     */
    @ParameterizedTest(name = "{0} bits, latents={1}")
    @CsvSource({"16, false", "64, true", "32, true"})
    void shardedSearchEqualsOneIndexOverTheSameTexts(int bits, boolean latents) throws IOException {
        IndexIdentity identity = HashIndexTest.identity(bits);
        List<HashIndex.Text> texts = texts(300, bits, latents, bits * 31L);
        int[] shardCounts = {1, 2, 3, 7};
        try (HashIndex single = HashIndex.openForWriting(dir.resolve("single"), identity, 0)) {
            for (HashIndex.Text t : texts) {
                single.add(t);
            }
            single.commit();
            for (int shards : shardCounts) {
                writeSharded(dir.resolve("sharded-" + shards), identity, texts, shards);
            }
            compareAll(single, identity, shardCounts, bits, latents, "before deletions");
            List<String> gone = new ArrayList<>();
            for (int i = 3; i < texts.size(); i += 17) {
                gone.add(texts.get(i).id());
                assertTrue(single.delete(texts.get(i).id()));
            }
            single.commit();
            for (int shards : shardCounts) {
                assertEquals(gone.size(), ShardedHashIndex.delete(dir.resolve("sharded-" + shards), gone), shards + " shards");
            }
            compareAll(single, identity, shardCounts, bits, latents, "after deleting " + gone.size());
        }
    }

    private void compareAll(HashIndex single, IndexIdentity identity, int[] shardCounts, int bits, boolean latents, String when) throws IOException {
        for (int shards : shardCounts) {
            try (ShardedHashIndex sharded = ShardedHashIndex.open(dir.resolve("sharded-" + shards), identity)) {
                assertEquals(single.stats().documents(), sharded.stats().documents(), when);
                assertEquals(single.stats().sentences(), sharded.stats().sentences(), when);
                SplittableRandom rng = new SplittableRandom(bits + shards);
                for (int q = 0; q < 20; q++) {
                    SemanticHash query = SemanticHash.fromWords(CodeFixtures.uniform(bits, rng), bits);
                    float[] latent = latents && q % 3 != 0 ? CodeFixtures.latent(rng) : null;
                    String what = shards + " shards, " + when + ", query " + q;
                    for (Level level : Level.values()) {
                        for (int k : new int[] {1, 5, 40}) {
                            List<Hit> expected = single.knn(level, query, k, latent);
                            assertEquals(expected, sharded.knn(level, query, k, latent), what + ", " + level + " k=" + k);
                        }
                        int r = bits / 4;
                        assertEquals(single.radius(level, query, r, latent), sharded.radius(level, query, r, latent), what + ", " + level + " r=" + r);
                    }
                }
            }
        }
    }

    @Test
    void aShardOfAnotherModelOrAMissingShardIsRefusedByName() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        List<HashIndex.Text> texts = texts(20, 16, false, 5);
        Path root = dir.resolve("idx");
        writeSharded(root, identity, texts, 2);
        IndexIdentity other = new IndexIdentity("other-model", "cd".repeat(32), "posterior-mode", 16);
        IndexMismatchException e = assertThrows(IndexMismatchException.class, () -> ShardedHashIndex.open(root, other));
        assertTrue(e.getMessage().contains("other-model") && e.getMessage().contains("test-model"), e.getMessage());
        // a shard written by another model under the same manifest
        Path stray = root.resolve("shard-00001");
        org.apache.lucene.util.IOUtils.rm(stray);
        try (HashIndex h = HashIndex.openForWriting(stray, other, 0)) {
            h.commit();
        }
        IndexMismatchException e2 = assertThrows(IndexMismatchException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e2.getMessage().contains("shard-00001"), e2.getMessage());
        org.apache.lucene.util.IOUtils.rm(stray);
        IOException e3 = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e3.getMessage().contains("shard shard-00001 listed in") && e3.getMessage().contains("shards.json"), e3.getMessage());
    }

    @Test
    void aBrokenManifestIsRefusedNamingTheFileAndTheField() throws IOException {
        Path root = dir.resolve("idx");
        Files.createDirectories(root);
        Files.writeString(root.resolve(ShardManifest.FILE_NAME), "{\"format\":\"latent-nlp-shards/1\",\"identity\":{\"model\":\"m\"},\"shards\":[]}");
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e.getMessage().contains("shards.json") && e.getMessage().contains("modelDigest"), e.getMessage());
        assertTrue(ShardManifest.isSharded(root));
        assertThrows(IOException.class, () -> ShardedHashIndex.open(dir.resolve("nothing"), null));
    }
}
