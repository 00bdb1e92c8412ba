package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Search structures kept per segment: results of an index of many segments, with deletions and
 * replacements, equal those of the same index force-merged into one segment (the ranking of one
 * set of structures); a refresh rebuilds only the segments it has not seen.
 */
class SegmentedSearchTest {

    @TempDir
    Path dir;

    /** Prefixes that Java's UTF-16 order and Lucene's UTF-8 order sort differently (U+FFFD vs U+1F600), so a merge by String.compareTo would show. */
    private static final String[] ID_PREFIXES = {"a", "b", "\uFFFD", "\uD83D\uDE00", "\uE000", "z"};

    @ParameterizedTest(name = "{0} bits, m={1}, latents={2}, seed={3}")
    @CsvSource({"64, 0, true, 1", "64, 0, false, 2", "64, 4, true, 3", "128, 0, true, 4", "128, 0, false, 5", "256, 0, true, 6"})
    void manySegmentsAnswerAsOneAcrossAddsDeletesAndRefreshes(int bits, int m, boolean latents, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        // Few tight clusters: many equal distances, so ties between segments are broken by id.
        long[][] centres = new long[6][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = CodeFixtures.uniform(bits, rng);
        }
        Map<String, HashIndex.Text> live = new LinkedHashMap<>();
        List<long[]> queries = new ArrayList<>();
        int next = 0;
        int multiSegmentRounds = 0; // Lucene merges small segments now and then
        try (HashIndex index = HashIndex.openForWriting(dir.resolve("many"), HashIndexTest.identity(bits), m)) {
            for (int round = 0; round < 7; round++) {
                int adds = 40 + rng.nextInt(60);
                for (int i = 0; i < adds; i++) {
                    // Now and then a replacement of a live text (a deletion in an older segment).
                    String id = !live.isEmpty() && rng.nextInt(6) == 0 ? new ArrayList<>(live.keySet()).get(rng.nextInt(live.size()))
                            : ID_PREFIXES[rng.nextInt(ID_PREFIXES.length)] + (next++);
                    HashIndex.Text t = text(id, bits, centres, latents, rng);
                    index.add(t);
                    live.remove(id);
                    live.put(id, t);
                    queries.add(t.sentences().get(0).hash().words());
                }
                for (int i = 0; i < 5 && !live.isEmpty(); i++) {
                    String id = new ArrayList<>(live.keySet()).get(rng.nextInt(live.size()));
                    assertTrue(index.delete(id), id);
                    live.remove(id);
                }
                if (round % 3 != 2) {
                    index.commit();
                } else {
                    // A near-real-time refresh without a commit: a search of the writer sees it
                    index.knn(Level.SENTENCE, SemanticHash.fromWords(CodeFixtures.uniform(bits, rng), bits), 1, null);
                    index.commit();
                }
                try (HashIndex merged = forceMergedCopy(dir.resolve("many"), dir.resolve("merged-" + round))) {
                    assertEquals(1, merged.stats().segments());
                    if (index.stats().segments() > 1) {
                        multiSegmentRounds++;
                    }
                    assertEquals(merged.stats().documents(), live.size());
                    for (int q = 0; q < 12; q++) {
                        long[] query = q % 3 == 0 ? CodeFixtures.uniform(bits, rng)
                                : CodeFixtures.near(queries.get(rng.nextInt(queries.size())), bits, q % 3 == 1 ? 0 : 0.04, rng);
                        SemanticHash qh = SemanticHash.fromWords(query, bits);
                        float[] latent = latents && q % 2 == 0 ? CodeFixtures.latent(rng) : null;
                        for (Level level : Level.values()) {
                            for (int k : new int[] {1, 3, 10, 1000}) {
                                assertEquals(merged.knn(level, qh, k, latent), index.knn(level, qh, k, latent),
                                        "round " + round + ", query " + q + ", " + level + ", k=" + k);
                            }
                            for (int r : new int[] {0, 3, bits / 8}) {
                                assertEquals(merged.radius(level, qh, r, latent), index.radius(level, qh, r, latent),
                                        "round " + round + ", query " + q + ", " + level + ", r=" + r);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(multiSegmentRounds >= 3, multiSegmentRounds + " of 7 rounds searched more than one segment");
    }

    @Test
    void aRefreshAfterACommitBuildsOnlyTheNewSegmentAndReusesTheOthers() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        long[][] centres = {CodeFixtures.uniform(64, rng), CodeFixtures.uniform(64, rng)};
        try (HashIndex index = HashIndex.openForWriting(dir, HashIndexTest.identity(64), 0)) {
            for (int i = 0; i < 300; i++) {
                index.add(text("old" + i, 64, centres, true, rng));
            }
            index.commit();
            ReaderCodes before = index.structures();
            Map<Object, SegmentCodes> byCore = segmentsByCore(before);
            assertEquals(before.size(), before.built);

            index.add(text("new", 64, centres, true, rng));
            index.commit();
            ReaderCodes after = index.structures();
            assertNotSame(before, after);
            assertEquals(before.size() + 1, after.size());
            assertEquals(1, after.built, "only the new segment is built");
            Map<Object, SegmentCodes> afterByCore = segmentsByCore(after);
            byCore.forEach((core, segment) -> assertSame(segment, afterByCore.get(core), "an unchanged segment keeps its structures"));

            // A deletion changes the old segment's live docs, not its core: structures reused, the text gone.
            HashIndex.Text victim = text("old7", 64, centres, true, rng);
            SemanticHash code = index.knn(Level.DOCUMENT, victim.hash(), 1000, null).stream().filter(h -> h.id().equals("old7")).findFirst().orElseThrow().hash();
            assertTrue(index.delete("old7"));
            index.commit();
            ReaderCodes deleted = index.structures();
            assertEquals(0, deleted.built, "a deletion builds nothing");
            Map<Object, SegmentCodes> deletedByCore = segmentsByCore(deleted);
            afterByCore.forEach((core, segment) -> assertSame(segment, deletedByCore.get(core)));
            assertFalse(index.radius(Level.DOCUMENT, code, 0, null).stream().anyMatch(h -> h.id().equals("old7")));
            assertEquals(299 + 1, index.searchStructures().documentCodes());

            // A segment of a text without sentences has no sentence codes: searched as empty, the others as before
            List<Hit> sentences = index.knn(Level.SENTENCE, victimCode(centres), 7, null);
            index.add(new HashIndex.Text("bare", "none", code, null, List.of()));
            index.commit();
            assertEquals(1, index.structures().built);
            assertEquals(sentences, index.knn(Level.SENTENCE, victimCode(centres), 7, null));
            assertTrue(index.radius(Level.DOCUMENT, code, 0, null).stream().anyMatch(h -> h.id().equals("bare")));
        }
    }

    @Test
    void hitsCompareIdsInLuceneTermOrder() {
        SplittableRandom rng = new SplittableRandom(5);
        char[] alphabet = {'a', 'Z', '\u00e9', '\uFFFD', '\uE000', '\uD7FF'};
        for (int i = 0; i < 5000; i++) {
            String a = randomId(rng, alphabet);
            String b = randomId(rng, alphabet);
            int lucene = Integer.signum(new org.apache.lucene.util.BytesRef(a).compareTo(new org.apache.lucene.util.BytesRef(b)));
            assertEquals(lucene, Integer.signum(HashIndex.compareCodePoints(a, b)), "'" + a + "' vs '" + b + "'");
        }
    }

    private static String randomId(SplittableRandom rng, char[] alphabet) {
        StringBuilder s = new StringBuilder();
        for (int n = rng.nextInt(4); n >= 0; n--) {
            if (rng.nextInt(4) == 0) {
                s.appendCodePoint(0x10000 + rng.nextInt(0x100000)); // a supplementary character: a surrogate pair
            } else {
                s.append(alphabet[rng.nextInt(alphabet.length)]);
            }
        }
        return s.toString();
    }

    private static SemanticHash victimCode(long[][] centres) {
        return SemanticHash.fromWords(centres[0], 64);
    }

    private static Map<Object, SegmentCodes> segmentsByCore(ReaderCodes c) {
        Map<Object, SegmentCodes> out = new IdentityHashMap<>();
        for (int l = 0; l < c.size(); l++) {
            out.put(c.leaves().get(l).reader().getCoreCacheHelper().getKey(), c.segment(l));
        }
        return out;
    }

    /** A text of one to four sentences near the centres; latents (or none) for both levels. */
    private static HashIndex.Text text(String id, int bits, long[][] centres, boolean latents, SplittableRandom rng) {
        int n = 1 + rng.nextInt(4);
        List<HashIndex.Sentence> sentences = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            long[] code = CodeFixtures.near(centres[rng.nextInt(centres.length)], bits, 0.02, rng);
            sentences.add(new HashIndex.Sentence(s, s + 1, SemanticHash.fromWords(code, bits), latents ? CodeFixtures.latent(rng) : null));
        }
        long[] doc = CodeFixtures.near(centres[rng.nextInt(centres.length)], bits, 0.02, rng);
        return new HashIndex.Text(id, "abcd", SemanticHash.fromWords(doc, bits), latents ? CodeFixtures.latent(rng) : null, sentences);
    }

    /** The last commit of {@code index} copied to {@code to}, merged into one segment by Lucene, open for reading. */
    private static HashIndex forceMergedCopy(Path index, Path to) throws IOException {
        Files.createDirectories(to);
        Map<String, String> userData;
        try (Directory from = FSDirectory.open(index)) {
            SegmentInfos commit = SegmentInfos.readLatestCommit(from);
            userData = new HashMap<>(commit.getUserData());
            for (String f : commit.files(true)) {
                Files.copy(index.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Directory d = FSDirectory.open(to);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
            w.forceMerge(1);
            w.setLiveCommitData(userData.entrySet());
            w.commit();
        }
        return HashIndex.openForReading(to, null);
    }
}
