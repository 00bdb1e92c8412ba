package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IdPartitioning;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index add/delete/stats} and {@code search} with the shipped default model on real Lucene
 * indexes: sharded indexes, ids Lucene cannot hold, empty files, a full disk (a real tmpfs),
 * progress of a long text, --raw as annotate splits, messages (issue 26).
 */
class IndexCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return IndexAddTest.run(args);
    }

    private Path write(String relative, String text) throws Exception {
        return IndexAddTest.write(dir, relative, text);
    }

    private static Set<String> ids(Path index) throws Exception {
        Set<String> out = new TreeSet<>();
        try (var idx = io.latentnlp.index.ShardedHashIndex.openAny(index, null)) {
            int bits = idx.identity().bits();
            for (Hit h : idx.radius(Level.DOCUMENT, SemanticHash.fromWords(new long[(bits + 63) / 64], bits), bits, null)) {
                out.add(h.id());
            }
        }
        return out;
    }

    private static List<String> entries(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Two shards of the default model, written as the Spark job writes them (ids routed by {@link IdPartitioning}). */
    private Path sharded(List<String> ids) throws Exception {
        Path root = dir.resolve("sharded");
        ModelBundle bundle = ShippedModels.resolve(null);
        IndexIdentity identity = IndexIdentity.of(bundle);
        List<ShardManifest.Shard> shards = new ArrayList<>();
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            TextEncoder encoder = new TextEncoder(vae);
            for (int s = 0; s < 2; s++) {
                String name = String.format("shard-%05d", s);
                long docs = 0;
                try (HashIndex shard = HashIndex.openForWriting(root.resolve(name), identity, 0)) {
                    for (String id : ids) {
                        if (IdPartitioning.shardOf(id, 2) == s) {
                            shard.add(encoder.text(id, List.of(List.of("the", "jury", "met", id, "."))));
                            docs++;
                        }
                    }
                    shard.commit();
                }
                shards.add(new ShardManifest.Shard(name, docs, docs));
            }
        }
        new ShardManifest(identity, shards).write(root);
        return root;
    }

    @Test
    void addDeleteAndStatsOnAShardedIndexRouteToTheShardsAndWriteNoIndexBesideThem() throws Exception {
        Path root = sharded(List.of("a", "b", "c", "d", "e", "f"));
        List<String> before = entries(root);
        Path text = write("notes.txt", "Ships sail the wide sea today .\n");
        CliRun add = run("index", "add", "--index", root.toString(), "--id", "newdoc", text.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("indexed 1 text (1 sentence)") && add.out().contains("index now 7 documents, 7 sentences"), add.out());
        assertEquals(before, entries(root), "no second index beside shards.json: " + entries(root));
        assertEquals(Set.of("a", "b", "c", "d", "e", "f", "newdoc"), ids(root));
        String shard = String.format("shard-%05d", IdPartitioning.shardOf("newdoc", 2));
        try (HashIndex h = HashIndex.openForReading(root.resolve(shard), null)) {
            assertEquals(Set.of("newdoc"), h.existing(List.of("newdoc")), "newdoc is in " + shard);
        }
        CliRun search = run("search", "--index", root.toString(), "ships sail the wide sea today .", "-k", "1");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().contains("newdoc"), search.out());

        CliRun again = run("index", "add", "--index", root.toString(), "--id", "newdoc", text.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().startsWith("latent-nlp index add: 1 of the ids are already in index " + root), again.err());

        CliRun stats = run("index", "stats", "--index", root.toString());
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("(sharded: 2 shards)") && stats.out().contains("documents   7"), stats.out());

        CliRun del = run("index", "delete", "--index", root.toString(), "newdoc", "c");
        assertEquals(0, del.code(), del.err());
        assertEquals("deleted 2 texts\n", del.out());
        assertEquals(Set.of("a", "b", "d", "e", "f"), ids(root));
        assertTrue(run("index", "stats", "--index", root.toString()).out().contains("documents   5"));

        CliRun bad = run("index", "add", "--index", root.toString(), "--substrings", "4", "--id", "x", text.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("is a sharded index, whose shards keep their own layout"), bad.err());
    }

    @Test
    void aShardsJsonThatIsADirectoryIsNamedByStatsSearchAndAdd() throws Exception {
        Path root = dir.resolve("idx");
        Files.createDirectories(root.resolve("shards.json"));
        Path text = write("notes.txt", "Ships sail .\n");
        for (String[] args : List.of(new String[] {"index", "stats", "--index", root.toString()}, new String[] {"search", "--index", root.toString(), "--code", "00"},
                new String[] {"index", "add", "--index", root.toString(), "--id", "x", text.toString()},
                new String[] {"index", "delete", "--index", root.toString(), "x"})) {
            CliRun r = run(args);
            assertEquals(1, r.code(), String.join(" ", args));
            assertTrue(r.err().contains(root.resolve("shards.json") + " is a directory, not a shard manifest file"), r.err());
        }
        assertEquals(List.of("shards.json"), entries(root));
    }

    @Test
    void tsvIdsLuceneCannotHoldAreNamedByFileAndLineBeforeAnythingIsWritten() throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (int i = 1; i < 1200; i++) {
            tsv.append("d").append(i).append("\tnews\tThe jury said so .\n");
        }
        tsv.append("x".repeat(40_000)).append("\tnews\tShe smiled .\n");
        Path big = write("big.tsv", tsv.toString());
        Path index = dir.resolve("idx");
        CliRun r = run("index", "add", "--index", index.toString(), big.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(big + ":1200: the id is 40000 UTF-8 bytes long") && r.err().contains("Lucene's limit of 32766"), r.err());
        assertFalse(Files.exists(index), "nothing written");

        Path empty = write("empty-id.tsv", "d1\tnews\tThe jury .\n\tnews\tShe smiled .\n");
        CliRun e = run("index", "add", "--index", index.toString(), empty.toString());
        assertEquals(1, e.code());
        assertTrue(e.err().contains(empty + ":2: the id is empty"), e.err());
        assertFalse(Files.exists(index));
    }

    @Test
    void anEmptyFileSaysSoAndErrorsCarryTheFullCommandName() throws Exception {
        Path empty = write("empty.txt", "");
        Path blank = write("blank.txt", "\n  \n");
        Path index = dir.resolve("idx");
        CliRun r = run("index", "add", "--index", index.toString(), empty.toString());
        assertEquals(1, r.code());
        assertEquals("latent-nlp index add: " + empty + ": no text to index (an empty file); give files with at least one sentence; nothing was indexed\n", r.err());
        CliRun b = run("index", "add", "--index", index.toString(), blank.toString());
        assertTrue(b.err().contains(blank + ": no text to index (only blank lines)"), b.err());
        CliRun stats = run("index", "stats", "--index", index.toString());
        assertTrue(stats.err().startsWith("latent-nlp index stats: no index at " + index), stats.err());
        assertFalse(Files.exists(index));
    }

    @Test
    void aFileOutsideTheRootIsIdentifiedByItsNormalizedAbsolutePath() throws Exception {
        Path one = write("elsewhere/notes.txt", "The jury said it did not find any evidence .\n");
        Files.createDirectories(dir.resolve("sub"));
        Path index = dir.resolve("idx");
        String unnormalized = dir.resolve("elsewhere/../elsewhere/./notes.txt").toString();
        CliRun r = run("index", "add", "--index", index.toString(), "--root", dir.resolve("sub").toString(), unnormalized);
        assertEquals(0, r.code(), r.err());
        assertEquals(Set.of(one.toAbsolutePath().normalize().toString()), ids(index));
    }

    @Test
    void aRadiusBeyondTheCodeLengthIsAUsageErrorNamingIt() throws Exception {
        Path index = dir.resolve("idx");
        assertEquals(0, run("index", "add", "--index", index.toString(), "--id", "a", write("a.txt", "Ships sail .\n").toString()).code());
        CliRun r = run("search", "--index", index.toString(), "--code", "0000000000000000", "--radius", "65");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Invalid value for option '--radius': 65 (the index holds 64-bit codes"), r.err());
        assertEquals(0, run("search", "--index", index.toString(), "--code", "0000000000000000", "--radius", "64").code());
    }

    @Test
    void oneLongTextShowsProgressWhileItIsEncoded() throws Exception {
        Path big = CliRun.corpus(dir.resolve("long.txt"), 1200, 5);
        CliRun r = run("index", "add", "--index", dir.resolve("idx").toString(), "--id", "long", big.toString());
        assertEquals(0, r.code(), r.err());
        long partial = r.err().lines().filter(l -> l.matches("index \\[.*\\] +[1-9]\\d?% \\d+/1200 .*")).count();
        assertTrue(partial >= 3, "progress lines before the end of the one text:\n" + r.err());
        assertTrue(r.out().startsWith("indexed 1 text (1200 sentences)"), r.out());
    }

    @Test
    void rawTextIsCutIntoSentencesAsAnnotateCutsItWithTheSameHashes() throws Exception {
        Path f = write("raw.txt", "The jury said so. She smiled and walked into the kitchen!\nShips sail\nthe wide sea.\n");
        Path index = dir.resolve("idx");
        CliRun r = run("index", "add", "--index", index.toString(), "--raw", "--id", "raw", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("indexed 1 text (3 sentences)"), r.out());
        CliRun a = run("annotate", f.toString());
        assertEquals(0, a.code(), a.err());
        var sentences = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.out()).get("sentences");
        assertEquals(3, sentences.size(), a.out());
        try (HashIndex idx = HashIndex.openForReading(index, null)) {
            for (int i = 0; i < 3; i++) {
                String hex = sentences.get(i).get("hash").asText();
                List<Hit> hits = idx.radius(Level.SENTENCE, SemanticHash.fromHex(hex, 64), 0, null);
                final int position = i;
                assertTrue(hits.stream().anyMatch(h -> h.sentence() == position), "sentence " + i + " has annotate's hash " + hex + ": " + hits);
            }
        }
    }

    @Test
    void aFullDiskIsOneLineNamingItAndTheCommittedTextsSurvive() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", mount.toString()).redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a small tmpfs to fill (needs root): " + why);
        try {
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                tsv.append("d").append(i).append("\tnews\tships sail the wide sea number ").append(i).append(" today .\n");
            }
            Path corpus = write("many.tsv", tsv.toString());
            Path index = mount.resolve("idx");
            CliRun r = run("index", "add", "--index", index.toString(), "--commit-every", "100", corpus.toString());
            assertEquals(1, r.code(), r.err());
            List<String> errors = r.err().lines().filter(l -> l.startsWith("latent-nlp")).toList();
            assertEquals(1, errors.size(), r.err());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("latent-nlp index add: no space left on device writing index " + java.util.regex.Pattern.quote(
                    index.toString()) + " .*; (\\d+) of 3000 texts committed, the rest not indexed").matcher(errors.get(0));
            assertTrue(m.matches(), errors.get(0));
            assertFalse(r.err().contains("IndexWriter is closed") || r.err().contains("\tat "), r.err());
            int committed = Integer.parseInt(m.group(1));
            assertTrue(committed > 0 && committed < 3000 && committed % 100 == 0, "committed " + committed);
            try (HashIndex idx = HashIndex.openForReading(index, null)) {
                assertEquals(committed, idx.stats().documents(), "every committed text intact");
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }
}
