package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class HashIndexTest {

    @TempDir
    Path dir;

    static IndexIdentity identity(int bits) {
        return new IndexIdentity("test-model", "ab".repeat(32), "posterior-mode", bits);
    }

    static String id(int i) {
        return String.format("t%06d", i);
    }

    /**
     * Lucene MIH against the linear scan, for documents and sentences: same ids, distances and
     * order for k-NN and radius search, over several segments with deletions, on clustered codes.
     */
    @ParameterizedTest(name = "{0} bits, m={1}, latents={2}")
    @CsvSource({"16, 1, false", "32, 2, true", "64, 4, false", "64, 3, true", "128, 8, false"})
    void luceneSearchEqualsTheLinearScan(int bits, int m, boolean latents) throws IOException {
        int n = 1200;
        PackedCodes docCodes = CodeFixtures.codes(n, bits, 25, 0.06, latents, bits + m);
        PackedCodes sentenceCodes = CodeFixtures.codes(2 * n, bits, 25, 0.06, latents, bits + m + 1);
        List<Integer> deleted = new ArrayList<>();
        try (HashIndex index = HashIndex.openForWriting(dir, identity(bits), m)) {
            for (int i = 0; i < n; i++) {
                List<HashIndex.Sentence> sentences = List.of(
                        new HashIndex.Sentence(0, 1, SemanticHash.fromWords(sentenceCodes.code(2 * i), bits), sentenceCodes.latent(2 * i)),
                        new HashIndex.Sentence(2, 3, SemanticHash.fromWords(sentenceCodes.code(2 * i + 1), bits), sentenceCodes.latent(2 * i + 1)));
                index.add(new HashIndex.Text(id(i), "a b", SemanticHash.fromWords(docCodes.code(i), bits), docCodes.latent(i), sentences));
                if (i % 300 == 299) {
                    index.commit(); // several segments
                }
            }
            for (int i = 7; i < n; i += 97) {
                assertTrue(index.delete(id(i)));
                deleted.add(i);
            }
            index.commit();
            // The reference: the same codes without the deleted texts, in id order.
            PackedCodes liveDocs = new PackedCodes(bits, n);
            PackedCodes liveSentences = new PackedCodes(bits, 2 * n);
            List<String> docIds = new ArrayList<>();
            List<String> sentenceIds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (deleted.contains(i)) {
                    continue;
                }
                liveDocs.add(docCodes.code(i), docCodes.latent(i));
                docIds.add(id(i));
                for (int s = 0; s < 2; s++) {
                    liveSentences.add(sentenceCodes.code(2 * i + s), sentenceCodes.latent(2 * i + s));
                    sentenceIds.add(id(i) + "#" + s);
                }
            }
            SplittableRandom rng = new SplittableRandom(bits * 7L);
            for (int q = 0; q < 60; q++) {
                long[] query = q % 2 == 0 ? CodeFixtures.near(docCodes.code(rng.nextInt(n)), bits, 0.05, rng) : CodeFixtures.uniform(bits, rng);
                float[] latent = latents ? CodeFixtures.latent(rng) : null;
                SemanticHash qh = SemanticHash.fromWords(query, bits);
                assertKnnAsTheScan(index, liveDocs, docIds, liveSentences, sentenceIds, query, latent, new int[] {1, 10, 50}, "query " + q);
                int r = bits / 8;
                assertEquals(expected(new LinearScan(liveDocs).radius(query, r, latent), docIds, false), actual(index.radius(Level.DOCUMENT, qh, r, latent)),
                        "documents, r=" + r + ", query " + q);
            }
        }
    }

    /**
     * Ids added in random order, some texts replaced (their entries move to the end of the
     * index) and some deleted, over several segments: ties still break by id then position, as
     * the linear scan over the live codes in id order does, with and without query latents.
     */
    @ParameterizedTest(name = "latents={0}")
    @CsvSource({"false", "true"})
    void tiesBreakByIdWhateverTheOrderTextsWereAddedIn(boolean latents) throws IOException {
        int n = 600;
        int bits = 32;
        // Few distinct codes, so that most distances tie.
        PackedCodes pool = CodeFixtures.codes(40, bits, 4, 0.05, false, 11);
        SplittableRandom rng = new SplittableRandom(12);
        long[][] docCode = new long[n][];
        long[][] sentenceCode = new long[n][];
        float[][] docLatent = new float[n][];
        float[][] sentenceLatent = new float[n][];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(13));
        try (HashIndex index = HashIndex.openForWriting(dir, identity(bits), 0)) {
            int added = 0;
            for (int round = 0; round < 2; round++) {
                for (int i : order) {
                    if (round == 1 && i % 5 != 0) {
                        continue; // the second round replaces every fifth text
                    }
                    docCode[i] = pool.code(rng.nextInt(pool.size()));
                    sentenceCode[i] = pool.code(rng.nextInt(pool.size()));
                    docLatent[i] = latents ? CodeFixtures.latent(rng) : null;
                    sentenceLatent[i] = latents ? CodeFixtures.latent(rng) : null;
                    index.add(new HashIndex.Text(id(i), "x y", SemanticHash.fromWords(docCode[i], bits), docLatent[i],
                            List.of(new HashIndex.Sentence(2, 3, SemanticHash.fromWords(sentenceCode[i], bits), sentenceLatent[i]))));
                    if (++added % 97 == 0) {
                        index.commit();
                    }
                }
            }
            for (int i = 3; i < n; i += 41) {
                assertTrue(index.delete(id(i)));
            }
            index.commit();
            PackedCodes liveDocs = new PackedCodes(bits, n);
            PackedCodes liveSentences = new PackedCodes(bits, n);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((i - 3) % 41 == 0 && i >= 3) {
                    continue;
                }
                liveDocs.add(docCode[i], docLatent[i]);
                liveSentences.add(sentenceCode[i], sentenceLatent[i]);
                ids.add(id(i));
            }
            List<String> sentenceIds = ids.stream().map(x -> x + "#0").toList();
            assertTrue(index.stats().segments() > 1, "several segments");
            for (int q = 0; q < 30; q++) {
                long[] query = CodeFixtures.near(pool.code(rng.nextInt(pool.size())), bits, 0.05, rng);
                float[] latent = latents ? CodeFixtures.latent(rng) : null;
                SemanticHash qh = SemanticHash.fromWords(query, bits);
                assertKnnAsTheScan(index, liveDocs, ids, liveSentences, sentenceIds, query, latent, new int[] {1, 7, 40}, "query " + q);
                assertEquals(expected(new LinearScan(liveSentences).radius(query, 3, latent), sentenceIds, true),
                        actual(index.radius(Level.SENTENCE, qh, 3, latent)), "sentences, r=3, query " + q);
            }
            List<Hit> top = index.knn(Level.SENTENCE, SemanticHash.fromWords(sentenceCode[0], bits), 1, null);
            assertEquals("y", top.get(0).text(), "a sentence hit's text");
        }
    }

    @Test
    void aReaderSeesALaterCommitWithinASecondAndReportsItsSearchStructures() throws Exception {
        SemanticHash a = SemanticHash.fromHex("00000000", 32);
        SemanticHash b = SemanticHash.fromHex("0000000f", 32);
        try (HashIndex writer = HashIndex.openForWriting(dir, identity(32), 3)) {
            writer.add(new HashIndex.Text("a", "first.", a, null, List.of(new HashIndex.Sentence(0, 6, a, null))));
            writer.commit();
            try (HashIndex reader = HashIndex.openForReading(dir, null)) {
                assertEquals(3, reader.substrings());
                HashIndex.SearchStructures st = reader.searchStructures();
                assertEquals(1, st.documentCodes());
                assertEquals(1, st.sentenceCodes());
                assertEquals(3, st.sentences().layout().substrings(), "the m fixed at creation");
                assertTrue(st.bytes() > 0);
                writer.add(new HashIndex.Text("b", "second.", b, null, List.of(new HashIndex.Sentence(0, 7, b, null))));
                writer.commit();
                List<String> ids = List.of();
                for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end && ids.size() < 2; Thread.sleep(100)) {
                    ids = reader.knn(Level.SENTENCE, b, 5, null).stream().map(Hit::id).toList();
                }
                assertEquals(List.of("b", "a"), ids, "the reader's search structures follow the new commit");
                assertEquals(2, reader.searchStructures().sentenceCodes());
            }
        }
    }

    /**
     * An index as written before search moved into memory: texts in stored fields only, substring
     * terms, and m under the old commit key. It opens, and searches exactly with the texts.
     */
    @Test
    void anIndexOfTheEarlierFormatIsSearchedWithItsStoredTexts() throws IOException {
        IndexIdentity id = identity(32);
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(dir);
                org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d, new org.apache.lucene.index.IndexWriterConfig())) {
            for (int i = 0; i < 3; i++) {
                long code = (long) i << 32;
                for (int pos = -1; pos < 1; pos++) {
                    org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
                    doc.add(new org.apache.lucene.document.StringField("id", id(i), org.apache.lucene.document.Field.Store.YES));
                    doc.add(new org.apache.lucene.document.SortedDocValuesField("id_dv", new org.apache.lucene.util.BytesRef(id(i))));
                    doc.add(new org.apache.lucene.document.StringField("kind", pos < 0 ? "document" : "sentence", org.apache.lucene.document.Field.Store.NO));
                    doc.add(new org.apache.lucene.document.StoredField("pos", pos));
                    doc.add(new org.apache.lucene.document.NumericDocValuesField("pos", pos));
                    doc.add(new org.apache.lucene.document.StoredField("text", "text " + i + " " + pos));
                    doc.add(new org.apache.lucene.document.StringField(pos < 0 ? "dsub" : "ssub", "0:" + Long.toHexString(i), org.apache.lucene.document.Field.Store.NO));
                    byte[] bytes = java.nio.ByteBuffer.allocate(8).putLong(code).array();
                    doc.add(new org.apache.lucene.document.BinaryDocValuesField(pos < 0 ? "dcode" : "scode", new org.apache.lucene.util.BytesRef(bytes)));
                    w.addDocument(doc);
                }
            }
            java.util.Map<String, String> data = new java.util.HashMap<>(id.toUserData());
            data.put("latentnlp.substrings", "2");
            w.setLiveCommitData(data.entrySet());
            w.commit();
        }
        try (HashIndex index = HashIndex.openForReading(dir, id)) {
            assertEquals(0, index.substrings(), "the old key fixed the term layout only");
            List<Hit> hits = index.knn(Level.SENTENCE, SemanticHash.fromWords(new long[] {1L << 32}, 32), 2, null);
            assertEquals(List.of("t000001#0@0", "t000000#0@1"), actual(hits));
            assertEquals("text 1 0", hits.get(0).text());
            assertEquals("text 2 -1", index.knn(Level.DOCUMENT, SemanticHash.fromWords(new long[] {2L << 32}, 32), 1, null).get(0).text());
        }
    }

    /** k-NN of documents and sentences equals the linear scan's over the live codes (in id order), for each k. */
    private static void assertKnnAsTheScan(HashIndex index, PackedCodes docs, List<String> docIds, PackedCodes sentences, List<String> sentenceIds,
            long[] query, float[] latent, int[] ks, String what) throws IOException {
        SemanticHash qh = SemanticHash.fromWords(query, docs.bits());
        for (int k : ks) {
            assertEquals(expected(new LinearScan(docs).knn(query, k, latent), docIds, false), actual(index.knn(Level.DOCUMENT, qh, k, latent)),
                    "documents, k=" + k + ", " + what);
            assertEquals(expected(new LinearScan(sentences).knn(query, k, latent), sentenceIds, true), actual(index.knn(Level.SENTENCE, qh, k, latent)),
                    "sentences, k=" + k + ", " + what);
        }
    }

    private static List<String> expected(List<Neighbor> neighbours, List<String> ids, boolean sentences) {
        return neighbours.stream().map(nb -> ids.get(nb.ordinal()) + (sentences ? "" : "#-1") + "@" + nb.distance()).toList();
    }

    private static List<String> actual(List<Hit> hits) {
        return hits.stream().map(h -> h.id() + "#" + h.sentence() + "@" + h.distance()).toList();
    }

    @Test
    void addingAnIdAgainReplacesTheTextAndItsSentences() throws IOException {
        SemanticHash a = SemanticHash.fromHex("00000000", 32);
        SemanticHash b = SemanticHash.fromHex("ffffffff", 32);
        try (HashIndex index = HashIndex.openForWriting(dir, identity(32), 0)) {
            index.add(new HashIndex.Text("x", "first text.", a, null, List.of(new HashIndex.Sentence(0, 11, a, null))));
            index.commit();
            index.add(new HashIndex.Text("x", "second one. two.", b, null, List.of(new HashIndex.Sentence(0, 11, b, null), new HashIndex.Sentence(12, 16, b, null))));
            index.commit();
            HashIndex.Stats stats = index.stats();
            assertEquals(1, stats.documents());
            assertEquals(2, stats.sentences());
            Hit top = index.knn(Level.DOCUMENT, a, 5, null).get(0);
            assertEquals("x", top.id());
            assertEquals(32, top.distance(), "the old code is gone");
            assertEquals("second one. two.", top.text());
            assertEquals(b, top.hash());
            List<Hit> sentences = index.knn(Level.SENTENCE, b, 5, null);
            assertEquals(List.of("second one.", "two."), sentences.stream().map(Hit::text).toList());
            assertTrue(index.delete("x"));
            assertFalse(index.delete("x"));
            index.commit();
            assertEquals(List.of(), index.knn(Level.DOCUMENT, a, 5, null));
        }
    }

    @Test
    void existingNamesTheIdsTheIndexHoldsWrittenOrCommitted() throws IOException {
        SemanticHash a = SemanticHash.fromHex("0000", 16);
        try (HashIndex index = HashIndex.openForWriting(dir, identity(16), 0)) {
            index.add(new HashIndex.Text("a/notes.txt", "x", a, null, List.of(new HashIndex.Sentence(0, 1, a, null))));
            assertEquals(java.util.Set.of("a/notes.txt"), index.existing(List.of("b/notes.txt", "a/notes.txt", "notes.txt")), "uncommitted adds count for the writer");
            index.commit();
            index.add(new HashIndex.Text("c", "y", a, null, List.of(new HashIndex.Sentence(0, 1, a, null))));
            assertTrue(index.delete("c"));
            assertEquals(java.util.Set.of(), index.existing(List.of("c")), "a deleted text is gone");
        }
        try (HashIndex read = HashIndex.openForReading(dir, null)) {
            assertEquals(java.util.Set.of("a/notes.txt"), read.existing(List.of("a/notes.txt", "c", "notes.txt")));
        }
    }

    @Test
    void anIndexOfAnotherModelIsRefusedWithBothIdentities() throws IOException {
        try (HashIndex index = HashIndex.openForWriting(dir, identity(64), 0)) {
            index.commit();
        }
        IndexIdentity other = new IndexIdentity("other-model", "cd".repeat(32), "median-threshold", 64);
        IndexMismatchException e = assertThrows(IndexMismatchException.class, () -> HashIndex.openForWriting(dir, other, 0));
        assertTrue(e.getMessage().contains("holds codes of test-model (posterior-mode, 64 bits") && e.getMessage().contains("not of other-model"), e.getMessage());
        assertThrows(IndexMismatchException.class, () -> HashIndex.openForReading(dir, other));
        try (HashIndex read = HashIndex.openForReading(dir, null)) {
            assertEquals(identity(64), read.identity());
            assertThrows(IllegalStateException.class, () -> read.commit());
        }
    }

    @Test
    void wrongLengthCodesAndMissingIndexesAreNamed() throws IOException {
        try (HashIndex index = HashIndex.openForWriting(dir.resolve("i"), identity(64), 0)) {
            SemanticHash short16 = SemanticHash.fromHex("abcd", 16);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.knn(Level.DOCUMENT, short16, 3, null));
            assertTrue(e.getMessage().contains("query: a 16-bit code, but") && e.getMessage().contains("holds 64-bit codes of test-model"), e.getMessage());
            SemanticHash ok = SemanticHash.fromHex("0123456789abcdef", 64);
            e = assertThrows(IllegalArgumentException.class,
                    () -> index.add(new HashIndex.Text("d", "t", ok, null, List.of(new HashIndex.Sentence(0, 1, short16, null)))));
            assertTrue(e.getMessage().contains("sentence 0 of document d: a 16-bit code"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> index.add(new HashIndex.Text("d", "t", ok, null, List.of(new HashIndex.Sentence(0, 9, ok, null)))));
            assertTrue(e.getMessage().contains("span [0, 9) outside the text of 1 characters"), e.getMessage());
        }
        IOException e = assertThrows(IOException.class, () -> HashIndex.openForReading(dir.resolve("nothing"), null));
        assertTrue(e.getMessage().contains("no index at"), e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(IOException.class, () -> HashIndex.openForReading(dir.resolve("empty"), null));
        assertTrue(e.getMessage().contains("no Lucene commit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> identity(8));
    }
}
