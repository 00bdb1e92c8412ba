package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
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

    /** Writes the texts as shards (by {@link IdPartitioning}, as the Spark job partitions them) and a manifest. */
    static void writeSharded(Path root, IndexIdentity identity, List<HashIndex.Text> texts, int shards) throws IOException {
        List<ShardManifest.Shard> list = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            String name = String.format("shard-%05d", s);
            long docs = 0;
            long sentences = 0;
            try (HashIndex shard = HashIndex.openForWriting(root.resolve(name), identity, 0)) {
                for (HashIndex.Text t : texts) {
                    if (IdPartitioning.shardOf(t.id(), shards) == s) {
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
     * Equal codes break ties by id in Lucene's term order (UTF-8 bytes = code point order) in one
     * index; the merge of shards must too, where Java's String order (UTF-16 units) puts
     * U+1F600 before U+FFFD.
     */
    @org.junit.jupiter.api.Test
    void tiesAcrossShardsAreBrokenByIdInCodePointOrderAsInOneIndex() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(64);
        SemanticHash code = SemanticHash.fromWords(new long[] {0x5555_aaaa_5555_aaaaL}, 64);
        List<HashIndex.Text> texts = new ArrayList<>();
        for (String prefix : new String[] {"\uFFFD", "\uD83D\uDE00", "\uE000", "a"}) {
            for (int i = 0; i < 6; i++) {
                texts.add(new HashIndex.Text(prefix + i, "x", code, null, List.of(new HashIndex.Sentence(0, 1, code, null))));
            }
        }
        writeSharded(dir.resolve("sharded"), identity, texts, 3);
        try (HashIndex single = HashIndex.openForWriting(dir.resolve("single"), identity, 0);
                ShardedHashIndex sharded = ShardedHashIndex.open(dir.resolve("sharded"), identity)) {
            for (HashIndex.Text t : texts) {
                single.add(t);
            }
            single.commit();
            for (Level level : Level.values()) {
                assertEquals(single.knn(level, code, 30, null), sharded.knn(level, code, 30, null), level.label());
                assertEquals(single.knn(level, code, 9, null), sharded.knn(level, code, 9, null), level.label());
            }
        }
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

    private static void symlinkOrSkip(Path link, Path target) throws IOException {
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links on this file system: " + e);
        }
    }

    private static String manifestText(Path root) throws IOException {
        return Files.readString(root.resolve(ShardManifest.FILE_NAME));
    }

    @Test
    void deletingFromAShardedIndexWithAMissingShardNamesItAndCreatesNothing() throws IOException {
        Path root = dir.resolve("idx");
        List<HashIndex.Text> texts = texts(30, 16, false, 3);
        writeSharded(root, HashIndexTest.identity(16), texts, 3);
        org.apache.lucene.util.IOUtils.rm(root.resolve("shard-00001"));
        String before = manifestText(root);
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.delete(root, List.of(texts.get(0).id(), texts.get(1).id())));
        assertTrue(e.getMessage().contains("shard shard-00001 listed in " + root.resolve("shards.json")) && e.getMessage().contains("missing"), e.getMessage());
        assertTrue(Files.notExists(root.resolve("shard-00001")), "no empty shard created in its place");
        assertEquals(before, manifestText(root));
        // the other shards were not changed either: opening them still finds every text they held
        try (HashIndex shard = HashIndex.openForReading(root.resolve("shard-00000"), null)) {
            assertEquals(texts.stream().filter(t -> IdPartitioning.shardOf(t.id(), 3) == 0).count(), shard.stats().documents());
        }
    }

    @Test
    void aShardListedTwiceThroughALinkIsRefusedNamingBoth() throws IOException {
        Path root = dir.resolve("idx");
        IndexIdentity identity = HashIndexTest.identity(16);
        writeSharded(root, identity, texts(30, 16, false, 3), 2);
        symlinkOrSkip(root.resolve("shard-00002"), root.resolve("shard-00000"));
        ShardManifest m = ShardManifest.read(root);
        List<ShardManifest.Shard> list = new ArrayList<>(m.shards());
        list.add(new ShardManifest.Shard("shard-00002", m.shards().get(0).documents(), m.shards().get(0).sentences()));
        new ShardManifest(identity, list).write(root);
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e.getMessage().contains("shards shard-00000 and shard-00002 listed in") && e.getMessage().contains("are one directory"), e.getMessage());
        IOException w = assertThrows(IOException.class, () -> ShardedHashIndex.openForWriting(root, null));
        assertTrue(w.getMessage().contains("shards shard-00000 and shard-00002"), w.getMessage());
    }

    @Test
    void aCopiedShardOrAWholeIndexListedAsAShardIsRefusedNamingBothShardsAndAnId() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        List<HashIndex.Text> texts = texts(30, 16, false, 3);
        Path root = dir.resolve("idx");
        writeSharded(root, identity, texts, 2);
        ShardManifest m = ShardManifest.read(root);
        // a copy of shard-00001 under a new name, listed with its (true) counts
        Files.createDirectories(root.resolve("shard-00002"));
        try (var files = Files.list(root.resolve("shard-00001"))) {
            for (Path f : files.toList()) {
                Files.copy(f, root.resolve("shard-00002").resolve(f.getFileName()));
            }
        }
        List<ShardManifest.Shard> copied = new ArrayList<>(m.shards());
        copied.add(new ShardManifest.Shard("shard-00002", m.shards().get(1).documents(), m.shards().get(1).sentences()));
        new ShardManifest(identity, copied).write(root);
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e.getMessage().matches("(?s)id 't0000\\d\\d' is in two shards of .*, shard-00001 and shard-00002: .*"), e.getMessage());

        // a shard that is a link to a single index of all the texts
        Path single = dir.resolve("single");
        try (HashIndex h = HashIndex.openForWriting(single, identity, 0)) {
            for (HashIndex.Text t : texts) {
                h.add(t);
            }
            h.commit();
        }
        org.apache.lucene.util.IOUtils.rm(root.resolve("shard-00002"));
        symlinkOrSkip(root.resolve("shard-00002"), single);
        new ShardManifest(identity, List.of(m.shards().get(0), m.shards().get(1), new ShardManifest.Shard("shard-00002", 30, 60))).write(root);
        IOException full = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(full.getMessage().contains("is in two shards of") && full.getMessage().contains(" and shard-00002"), full.getMessage());
    }

    @Test
    void shardCountsThatDisagreeWithTheManifestAreRefusedNamingTheShard() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        Path root = dir.resolve("idx");
        writeSharded(root, identity, texts(30, 16, false, 3), 2);
        ShardManifest m = ShardManifest.read(root);
        ShardManifest.Shard s1 = m.shards().get(1);
        new ShardManifest(identity, List.of(m.shards().get(0), new ShardManifest.Shard(s1.name(), s1.documents() + 1, s1.sentences()))).write(root);
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.open(root, null));
        assertTrue(e.getMessage().contains("shard shard-00001 of " + root + " holds " + s1.documents() + " documents and " + s1.sentences()
                + " sentences, but shards.json lists " + (s1.documents() + 1) + " and " + s1.sentences()), e.getMessage());
        IOException w = assertThrows(IOException.class, () -> ShardedHashIndex.openForWriting(root, null));
        assertTrue(w.getMessage().contains("shard shard-00001 of " + root + " holds "), "a writer would bless the damage: " + w.getMessage());
    }

    /**
     * A commit of a sharded writer interrupted at any point leaves counts a reader accepts: the
     * manifest lists the new counts with the previous ones until every shard has committed.
     */
    @Test
    void aShardedCommitInterruptedBetweenShardsLeavesAnIndexThatOpens() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        List<HashIndex.Text> texts = texts(30, 16, false, 3);
        Path root = dir.resolve("idx");
        writeSharded(root, identity, texts.subList(0, 20), 2);
        ShardManifest old = ShardManifest.read(root);
        // the state after the first write of a commit and the first shard's commit, before the second's
        String first = old.shards().get(0).name();
        List<HashIndex.Text> toFirst = texts.subList(20, 30).stream().filter(t -> IdPartitioning.shardOf(t.id(), 2) == 0).toList();
        try (HashIndex shard = HashIndex.openForWriting(root.resolve(first), identity, 0)) {
            for (HashIndex.Text t : toFirst) {
                shard.add(t);
            }
            shard.commit();
        }
        List<ShardManifest.Shard> next = List.of(new ShardManifest.Shard(first, old.shards().get(0).documents() + toFirst.size(),
                old.shards().get(0).sentences() + 2L * toFirst.size()), new ShardManifest.Shard(old.shards().get(1).name(), 99, 198));
        new ShardManifest(identity, next, old.shards()).write(root);
        assertTrue(manifestText(root).contains("\"previous\""), manifestText(root));
        try (ShardedHashIndex opened = ShardedHashIndex.open(root, null)) {
            assertEquals(20 + toFirst.size(), opened.stats().documents());
        }
        try (WritableIndex w = ShardedHashIndex.openForWriting(root, null)) {
            w.commit(); // and the next commit writes the true counts alone
        }
        assertTrue(!manifestText(root).contains("previous"), manifestText(root));
        assertEquals(20 + toFirst.size(), ShardManifest.read(root).shards().stream().mapToLong(ShardManifest.Shard::documents).sum());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "negative count|\"documents\":-1|field 'documents' of shard-00000 is -1, must be a non-negative integer",
        "string count|\"documents\":\"3\"|field 'documents' of shard-00000 is \"3\", must be a non-negative integer",
        "fractional count|\"sentences\":2.5|field 'sentences' of shard-00000 is 2.5, must be a non-negative integer",
        "huge count|\"sentences\":1e30|field 'sentences' of shard-00000 is 1.0E30, must be a non-negative integer"})
    void countsInTheManifestMustBeNonNegativeIntegers(String what, String field, String message) throws IOException {
        Path root = dir.resolve("idx");
        Files.createDirectories(root);
        String name = field.substring(1, field.indexOf('"', 1));
        String shard = "{\"name\":\"shard-00000\",\"documents\":0,\"sentences\":0}".replaceFirst("\"" + name + "\":0", field);
        Files.writeString(root.resolve(ShardManifest.FILE_NAME), "{\"format\":\"latent-nlp-shards/1\",\"identity\":{\"model\":\"m\",\"modelDigest\":\"ab\","
                + "\"hashMethod\":\"h\",\"bits\":16},\"shards\":[" + shard + "]}");
        IOException e = assertThrows(IOException.class, () -> ShardManifest.read(root));
        assertEquals(root.resolve("shards.json") + ": invalid shard manifest: " + message, e.getMessage());
    }

    @Test
    void aManifestThatIsADirectoryIsNamedAndNoSingleIndexIsWrittenBesideAManifest() throws IOException {
        Path root = dir.resolve("idx");
        Files.createDirectories(root.resolve(ShardManifest.FILE_NAME));
        assertTrue(ShardManifest.isSharded(root));
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.openAny(root, null));
        assertTrue(e.getMessage().contains(root.resolve("shards.json") + " is a directory, not a shard manifest file"), e.getMessage());
        IOException w = assertThrows(IOException.class, () -> HashIndex.openForWriting(root, HashIndexTest.identity(16), 0));
        assertTrue(w.getMessage().contains(root + " is a sharded index (it holds shards.json)"), w.getMessage());
        try (var entries = Files.list(root)) {
            assertEquals(List.of(root.resolve(ShardManifest.FILE_NAME)), entries.toList(), "nothing written beside the manifest");
        }
    }

    @Test
    void aShardedWriterRoutesEachTextToItsShardAndKeepsTheManifestCounts() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(32);
        List<HashIndex.Text> texts = texts(60, 32, true, 11);
        Path root = dir.resolve("idx");
        writeSharded(root, identity, texts.subList(0, 40), 3);
        try (WritableIndex w = ShardedHashIndex.openAnyForWriting(root, identity, 0)) {
            assertEquals(java.util.Set.of(texts.get(5).id(), texts.get(39).id()), w.existing(List.of(texts.get(5).id(), texts.get(45).id(), texts.get(39).id())));
            for (HashIndex.Text t : texts.subList(40, 60)) {
                w.add(t);
            }
            assertTrue(w.delete(texts.get(2).id()));
            assertTrue(!w.delete("never-indexed"));
            w.commit();
            assertEquals(59, w.stats().documents());
        }
        ShardManifest m = ShardManifest.read(root);
        assertEquals(59, m.shards().stream().mapToLong(ShardManifest.Shard::documents).sum());
        assertTrue(manifestText(root).contains("\"partitioning\" : \"" + IdPartitioning.NAME + "\""), manifestText(root));
        for (int s = 0; s < 3; s++) {
            try (HashIndex shard = HashIndex.openForReading(root.resolve(m.shards().get(s).name()), identity)) {
                final int shardNo = s;
                List<String> expected = texts.stream().map(HashIndex.Text::id).filter(id -> !id.equals(texts.get(2).id()))
                        .filter(id -> IdPartitioning.shardOf(id, 3) == shardNo).toList();
                assertEquals(java.util.Set.copyOf(expected), shard.existing(texts.stream().map(HashIndex.Text::id).toList()), "shard " + s);
            }
        }
        // the merged search equals one index over the same 59 texts
        try (HashIndex single = HashIndex.openForWriting(dir.resolve("single"), identity, 0); ShardedHashIndex sharded = ShardedHashIndex.open(root, identity)) {
            for (HashIndex.Text t : texts) {
                if (t != texts.get(2)) {
                    single.add(t);
                }
            }
            single.commit();
            SemanticHash q = texts.get(50).hash();
            assertEquals(single.knn(Level.SENTENCE, q, 25, null), sharded.knn(Level.SENTENCE, q, 25, null));
        }
    }

    @Test
    void aShardedIndexPartitionedAnotherWayIsRefusedForWriting() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        List<HashIndex.Text> texts = texts(20, 16, false, 3);
        Path root = dir.resolve("idx");
        List<ShardManifest.Shard> list = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            String name = "part-" + s;
            try (HashIndex shard = HashIndex.openForWriting(root.resolve(name), identity, 0)) {
                for (int i = s; i < texts.size(); i += 2) { // round robin, not by id
                    shard.add(texts.get(i));
                }
                shard.commit();
            }
            list.add(new ShardManifest.Shard(name, 10, 20));
        }
        new ShardManifest(identity, list).write(root);
        try (ShardedHashIndex searchable = ShardedHashIndex.open(root, null)) {
            assertEquals(20, searchable.stats().documents(), "searching does not need the partitioning");
        }
        IOException e = assertThrows(IOException.class, () -> ShardedHashIndex.openForWriting(root, null));
        assertTrue(e.getMessage().contains("but the Spark index job's partitioning (" + IdPartitioning.NAME + " over 2 shards) puts it in part-"), e.getMessage());
    }

    @Test
    void idsLongerThanLucenesTermLimitAreRefusedBeforeWriting() throws IOException {
        IndexIdentity identity = HashIndexTest.identity(16);
        SemanticHash h = SemanticHash.fromHex("00ff", 16);
        try (HashIndex idx = HashIndex.openForWriting(dir.resolve("one"), identity, 0)) {
            String ok = "é".repeat(HashIndex.MAX_ID_BYTES / 2); // 2 bytes each: exactly at the limit
            idx.add(new HashIndex.Text(ok, "a", h, null, List.of()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> idx.add(new HashIndex.Text(ok + "x", "a", h, null, List.of())));
            assertTrue(e.getMessage().contains("the id is 32767 UTF-8 bytes long") && e.getMessage().contains("Lucene's limit of 32766"), e.getMessage());
            idx.commit();
            assertEquals(1, idx.stats().documents());
        }
        assertTrue(HashIndex.idProblem("").contains("empty"));
        assertTrue(HashIndex.idProblem("a\ud800b").contains("unpaired UTF-16 surrogate at char 1"), HashIndex.idProblem("a\ud800b"));
        assertEquals(null, HashIndex.idProblem("a\ud83d\ude00b"), "a surrogate pair is fine");
    }
}
