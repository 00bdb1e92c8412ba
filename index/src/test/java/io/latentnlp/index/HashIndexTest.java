package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                for (int k : new int[] {1, 10, 50}) {
                    assertEquals(expected(new LinearScan(liveDocs).knn(query, k, latent), docIds, false), actual(index.knn(Level.DOCUMENT, qh, k, latent)),
                            "documents, k=" + k + ", query " + q);
                    assertEquals(expected(new LinearScan(liveSentences).knn(query, k, latent), sentenceIds, true),
                            actual(index.knn(Level.SENTENCE, qh, k, latent)), "sentences, k=" + k + ", query " + q);
                }
                int r = bits / 8;
                assertEquals(expected(new LinearScan(liveDocs).radius(query, r, latent), docIds, false), actual(index.radius(Level.DOCUMENT, qh, r, latent)),
                        "documents, r=" + r + ", query " + q);
            }
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
