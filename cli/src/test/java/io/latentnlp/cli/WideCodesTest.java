package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IdPartitioning;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.Level;
import io.latentnlp.index.SearchableIndex;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Codes wider than one word end to end (issue 24: 128-bit hashes with the index supporting them):
 * a tiny model trained by `train` with a 256-dimensional latent (256-bit median-threshold codes)
 * and its `rehash --bits 128` (128-bit ITQ codes) are indexed by `index add`, searched by `search`
 * exactly (the index's multi-index hashing equals a linear scan over every indexed code), in one
 * index and in a sharded one (same hits), with errors that name the width.
 */
class WideCodesTest {

    @TempDir
    static Path dir;

    private static Path wide256;
    private static Path itq128;
    private static final List<Path> TEXTS = new ArrayList<>();

    @BeforeAll
    static void trainAndRehash() throws Exception {
        Path train = CliRun.corpus(dir.resolve("train.txt"), 300, 1);
        Path valid = CliRun.corpus(dir.resolve("valid.txt"), 40, 2);
        CliRun t = run("train", "--train", train.toString(), "--valid", valid.toString(), "--run-dir", dir.resolve("run").toString(), "--name", "wide",
                "--epochs", "1", "--embedding-dim", "16", "--hidden-dim", "24", "--latent-dim", "256", "--vocab-size", "50", "--min-count", "1",
                "--eval-samples", "2");
        assertEquals(0, t.code(), t.err());
        wide256 = dir.resolve("run/wide.vae");
        itq128 = dir.resolve("wide-itq128.vae");
        CliRun r = run("rehash", "-m", wide256.toString(), "--train", train.toString(), "--bits", "128", "--out", itq128.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(256, IndexIdentity.of(ModelBundle.load(wide256)).bits());
        assertEquals(128, IndexIdentity.of(ModelBundle.load(itq128)).bits());
        Files.createDirectories(dir.resolve("texts"));
        for (int i = 0; i < 12; i++) {
            TEXTS.add(CliRun.corpus(dir.resolve("texts/t" + i + ".txt"), 4 + i % 5, 10 + i));
        }
    }

    private static CliRun run(String... args) {
        return IndexAddTest.run(args);
    }

    private static Path model(int bits) {
        return bits == 128 ? itq128 : wide256;
    }

    private static List<String> addArgs(Path index, int bits) {
        List<String> args = new ArrayList<>(List.of("index", "add", "--index", index.toString(), "-m", model(bits).toString(), "--root",
                dir.resolve("texts").toString()));
        TEXTS.forEach(p -> args.add(p.toString()));
        return args;
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256})
    void indexAddSearchAndStatsServeWideCodesExactly(int bits) throws Exception {
        Path index = dir.resolve("index-" + bits);
        CliRun add = run(addArgs(index, bits).toArray(String[]::new));
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("indexed 12 texts"), add.out());
        CliRun stats = run("index", "stats", "--index", index.toString());
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("code bits   " + bits + " "), stats.out());

        try (HashIndex idx = HashIndex.openForReading(index, null)) {
            SplittableRandom rng = new SplittableRandom(bits);
            for (Level level : Level.values()) {
                List<Hit> all = everything(idx, level, bits);
                assertTrue(all.size() >= 12, all.size() + " codes");
                for (int q = 0; q < 10; q++) {
                    SemanticHash query = q % 2 == 0 ? all.get(rng.nextInt(all.size())).hash() : random(bits, rng);
                    for (int k : new int[] {1, 5, 40}) {
                        assertEquals(scan(all, query, k, Integer.MAX_VALUE), idx.knn(level, query, k, null), level + " k=" + k);
                    }
                    for (int r : new int[] {0, bits / 8, bits / 3}) {
                        assertEquals(scan(all, query, Integer.MAX_VALUE, r), idx.radius(level, query, r, null), level + " r=" + r);
                    }
                }
            }
            // The CLI prints the index's ranking, for a code and for a text query
            SemanticHash query = everything(idx, Level.SENTENCE, bits).get(3).hash();
            CliRun byCode = run("search", "--index", index.toString(), "--code", query.toHex(), "--level", "sentence", "-k", "5");
            assertEquals(0, byCode.code(), byCode.err());
            assertEquals(lines(idx.knn(Level.SENTENCE, query, 5, null)), byCode.out());
            CliRun byText = run("search", "--index", index.toString(), "-m", model(bits).toString(), "-k", "3", "the cat sat on a mat .");
            assertEquals(0, byText.code(), byText.err());
            assertEquals(3, byText.out().lines().count(), byText.out());
            assertTrue(byText.err().contains("query code "), byText.err());
            assertEquals(bits / 4, byText.err().lines().filter(l -> l.startsWith("query code ")).findFirst().orElseThrow().length() - "query code ".length());
        }

        CliRun tooFar = run("search", "--index", index.toString(), "--code", "0".repeat(bits / 4), "--radius", Integer.toString(bits + 1));
        assertEquals(2, tooFar.code());
        assertTrue(tooFar.err().contains("the index holds " + bits + "-bit codes, so no two codes are more than " + bits + " apart; give 0 to " + bits),
                tooFar.err());
        CliRun shortCode = run("search", "--index", index.toString(), "--code", "0".repeat(16));
        assertEquals(1, shortCode.code());
        assertTrue(shortCode.err().contains("has 16 digits; a " + bits + "-bit hash has " + bits / 4), shortCode.err());
        CliRun fewSubstrings = run("index", "add", "--index", dir.resolve("new-" + bits).toString(), "-m", model(bits).toString(), "--substrings",
                Integer.toString(bits / 32 - 1), TEXTS.get(0).toString());
        assertEquals(2, fewSubstrings.code());
        assertTrue(fewSubstrings.err().contains(bits / 32 - 1 + " substrings of a " + bits + "-bit code are longer than 32 bits; use at least " + bits / 32),
                fewSubstrings.err());
        assertTrue(!Files.exists(dir.resolve("new-" + bits)) || !HashIndex.exists(dir.resolve("new-" + bits)), "nothing indexed");
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256})
    void aShardedIndexOfWideCodesAnswersAsOneIndex(int bits) throws Exception {
        // Two shards as the Spark job writes them (ids routed by IdPartitioning), then `index add` routes more texts.
        Path root = dir.resolve("sharded-" + bits);
        ModelBundle bundle = ModelBundle.load(model(bits));
        IndexIdentity identity = IndexIdentity.of(bundle);
        List<ShardManifest.Shard> shards = new ArrayList<>();
        List<Path> first = TEXTS.subList(0, 6);
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            TextEncoder encoder = new TextEncoder(vae);
            for (int s = 0; s < 2; s++) {
                String name = String.format("shard-%05d", s);
                long docs = 0;
                long sentences = 0;
                try (HashIndex shard = HashIndex.openForWriting(root.resolve(name), identity, 0)) {
                    for (Path p : first) {
                        String id = dir.resolve("texts").relativize(p).toString();
                        if (IdPartitioning.shardOf(id, 2) == s) {
                            List<List<String>> lines = Files.readAllLines(p).stream().map(TextEncoder::tokenize).toList();
                            shard.add(encoder.text(id, lines));
                            docs++;
                            sentences += lines.size();
                        }
                    }
                    shard.commit();
                }
                shards.add(new ShardManifest.Shard(name, docs, sentences));
            }
        }
        new ShardManifest(identity, shards).write(root);
        List<String> rest = new ArrayList<>(List.of("index", "add", "--index", root.toString(), "-m", model(bits).toString(), "--root",
                dir.resolve("texts").toString()));
        TEXTS.subList(6, 12).forEach(p -> rest.add(p.toString()));
        CliRun add = run(rest.toArray(String[]::new));
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("index now 12 documents"), add.out());

        Path single = dir.resolve("single-" + bits);
        assertEquals(0, run(addArgs(single, bits).toArray(String[]::new)).code());
        try (SearchableIndex sharded = ShardedHashIndex.openAny(root, null); SearchableIndex one = ShardedHashIndex.openAny(single, null)) {
            SplittableRandom rng = new SplittableRandom(bits + 1);
            for (Level level : Level.values()) {
                for (int q = 0; q < 8; q++) {
                    SemanticHash query = random(bits, rng);
                    assertEquals(one.knn(level, query, 7, null), sharded.knn(level, query, 7, null), level + " query " + q);
                    assertEquals(one.radius(level, query, bits / 2, null), sharded.radius(level, query, bits / 2, null), level + " query " + q);
                }
            }
        }
        for (String[] search : new String[][] {{"-k", "4", "ships sail the wide sea today ."}, {"--level", "sentence", "--json", "-k", "6", "the cat sat ."}}) {
            List<String> a = new ArrayList<>(List.of("search", "-m", model(bits).toString(), "--index"));
            List<String> b = new ArrayList<>(a);
            a.add(root.toString());
            b.add(single.toString());
            a.addAll(List.of(search));
            b.addAll(List.of(search));
            CliRun fromShards = run(a.toArray(String[]::new));
            assertEquals(0, fromShards.code(), fromShards.err());
            assertEquals(run(b.toArray(String[]::new)).out(), fromShards.out());
        }
    }

    /** Every indexed code of a level: a radius query of the full length from the zero code. */
    private static List<Hit> everything(SearchableIndex idx, Level level, int bits) throws Exception {
        return idx.radius(level, SemanticHash.fromWords(new long[(bits + 63) / 64], bits), bits, null);
    }

    private static SemanticHash random(int bits, SplittableRandom rng) {
        long[] w = new long[(bits + 63) / 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextLong();
        }
        return SemanticHash.fromWords(w, bits);
    }

    /** The linear scan: every hit's distance to the query recomputed bit by bit, ranked by distance, id, position. */
    private static List<Hit> scan(List<Hit> all, SemanticHash query, int k, int radius) {
        List<Hit> out = new ArrayList<>();
        for (Hit h : all) {
            int d = 0;
            for (int b = 0; b < query.bits(); b++) {
                d += query.bit(b) != h.hash().bit(b) ? 1 : 0;
            }
            if (d <= radius) {
                out.add(new Hit(h.id(), h.sentence(), d, h.cosine(), h.text(), h.hash()));
            }
        }
        out.sort(Comparator.comparingInt(Hit::distance).thenComparing(Hit::id).thenComparingInt(Hit::sentence));
        return out.size() > k ? out.subList(0, k) : out;
    }

    /** What `search` prints for hits (its text format). */
    private static String lines(List<Hit> hits) {
        StringBuilder sb = new StringBuilder();
        int rank = 0;
        for (Hit h : hits) {
            String t = h.text().replace('\n', ' ');
            sb.append(String.format("%3d  d=%-3d %-16s %4d  %s%n", ++rank, h.distance(), h.id(), h.sentence(), t.length() > 100 ? t.substring(0, 97) + "..." : t));
        }
        return sb.toString();
    }
}
