package io.latentnlp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Hit;
import io.latentnlp.index.Level;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/** Shards written by Spark tasks on local[2], searched merged, against one index built in one JVM. */
@Tag("integration")
class ShardedIndexWriterTest {

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local2("ShardedIndexWriterTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final String[] WORDS = ("the a jury said it did not find any evidence that election was conducted city council budget "
            + "school river boat fog cold dark she walked road letter brother committee met on tuesday new plan taxes families . , and").split(" ");

    /** Texts of 1 to 3 sentences of 3 to 12 words, from a fixed seed; ids t000..; a few repeated sentences for exact ties. */
    static List<List<List<String>>> texts(int n) {
        SplittableRandom rng = new SplittableRandom(16);
        List<List<List<String>>> out = new ArrayList<>();
        List<List<String>> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<List<String>> doc = new ArrayList<>();
            for (int s = 0, ns = 1 + rng.nextInt(3); s < ns; s++) {
                if (!pool.isEmpty() && rng.nextInt(8) == 0) {
                    doc.add(pool.get(rng.nextInt(pool.size()))); // the same sentence again: equal codes, equal latents
                    continue;
                }
                List<String> sentence = new ArrayList<>();
                for (int w = 0, nw = 3 + rng.nextInt(10); w < nw; w++) {
                    sentence.add(WORDS[rng.nextInt(WORDS.length)]);
                }
                pool.add(sentence);
                doc.add(sentence);
            }
            out.add(doc);
        }
        return out;
    }

    static String id(int i) {
        return String.format("t%04d", i);
    }

    /** A hit without its cosine (compared separately with a tolerance: batching may move a latent's last bit). */
    static String key(Hit h) {
        return h.id() + "#" + h.sentence() + "@" + h.distance() + " " + h.hash().toHex() + " " + h.text();
    }

    static void assertSameHits(List<Hit> expected, List<Hit> actual, String what) {
        assertEquals(expected.stream().map(ShardedIndexWriterTest::key).toList(), actual.stream().map(ShardedIndexWriterTest::key).toList(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i).cosine();
            double a = actual.get(i).cosine();
            assertTrue(Double.isNaN(e) ? Double.isNaN(a) : Math.abs(e - a) < 1e-6, what + " cosine of hit " + i + ": " + e + " vs " + a);
        }
    }

    /**
     * Transformer output -> shards (1 and 4 partitions) -> ShardedHashIndex answers as one
     * HashIndex filled by TextEncoder (the `latent-nlp index add` path) over the same token lists,
     * for k-NN and radius at both levels, and again after deleting texts from both; every shard
     * passes Lucene's CheckIndex.
     */
    @Test
    void shardsWrittenBySparkSearchLikeOneIndex(@TempDir Path dir) throws IOException {
        List<List<List<String>>> texts = texts(160);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            List<Object> ss = new ArrayList<>();
            texts.get(i).forEach(s -> ss.add(JavaConverters.asScalaBuffer(s)));
            rows.add(RowFactory.create(id(i), JavaConverters.asScalaBuffer(ss)));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("sentences", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.StringType)));
        Dataset<Row> annotated = new SentenceVaeTransformer().setInputCol("sentences").setModel(ShippedModels.BERNOULLI_64).setBatchSentences(50)
                .transform(spark.createDataFrame(rows, schema).repartition(3)).cache();
        try (SentenceVae vae = SentenceVae.open(ShippedModels.resolve(ShippedModels.BERNOULLI_64), SentenceVae.Options.defaults())) {
            IndexIdentity identity = IndexIdentity.of(vae.bundle());
            int[] shardCounts = {1, 4};
            for (int shards : shardCounts) {
                ShardManifest m = ShardedIndexWriter.write(annotated, "id", "vae", dir.resolve("sharded-" + shards), identity, shards);
                assertEquals(shards, m.shards().size());
                assertEquals(texts.size(), m.shards().stream().mapToLong(ShardManifest.Shard::documents).sum());
                assertTrue(Files.notExists(dir.resolve("sharded-" + shards).resolve("_attempts")), "attempt directories are removed");
                for (ShardManifest.Shard s : m.shards()) {
                    try (FSDirectory d = FSDirectory.open(dir.resolve("sharded-" + shards).resolve(s.name())); CheckIndex check = new CheckIndex(d)) {
                        assertTrue(check.checkIndex().clean, s.name() + " is CheckIndex-clean");
                    }
                }
                // each id is in the shard IdPartitioning gives it: `latent-nlp index add` routes by that function
                List<String> all = java.util.stream.IntStream.range(0, texts.size()).mapToObj(ShardedIndexWriterTest::id).toList();
                for (int p = 0; p < shards; p++) {
                    try (HashIndex shard = HashIndex.openForReading(dir.resolve("sharded-" + shards).resolve(m.shards().get(p).name()), identity)) {
                        int part = p;
                        int n = shards;
                        assertEquals(all.stream().filter(i -> io.latentnlp.index.IdPartitioning.shardOf(i, n) == part).collect(java.util.stream.Collectors.toSet()),
                                shard.existing(all), m.shards().get(p).name() + " of " + shards);
                    }
                }
            }
            TextEncoder encoder = new TextEncoder(vae);
            try (HashIndex single = HashIndex.openForWriting(dir.resolve("single"), identity, 0)) {
                for (int i = 0; i < texts.size(); i++) {
                    single.add(encoder.text(id(i), texts.get(i)));
                }
                single.commit();
                compare(single, dir, shardCounts, encoder, texts, "before deletions");
                List<String> gone = new ArrayList<>();
                for (int i = 5; i < texts.size(); i += 11) {
                    gone.add(id(i));
                    single.delete(id(i));
                }
                single.commit();
                for (int shards : shardCounts) {
                    assertEquals(gone.size(), ShardedHashIndex.delete(dir.resolve("sharded-" + shards), gone));
                }
                compare(single, dir, shardCounts, encoder, texts, "after deleting " + gone.size());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardedIndexWriter.write(annotated, "id", "vae", dir.resolve("sharded-1"), null, 2));
        assertTrue(e.getMessage().contains("sharded-1 exists and is not an empty directory"), e.getMessage());
    }

    private static void compare(HashIndex single, Path dir, int[] shardCounts, TextEncoder encoder, List<List<List<String>>> texts, String when) throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        for (int shards : shardCounts) {
            try (ShardedHashIndex sharded = ShardedHashIndex.open(dir.resolve("sharded-" + shards), single.identity())) {
                for (int q = 0; q < 12; q++) {
                    TextEncoder.Encoded e = encoder.encode(List.of(texts.get(rng.nextInt(texts.size())).get(0))).get(0);
                    SemanticHash query = e.hash();
                    float[] latent = q % 2 == 0 ? e.latent() : null;
                    for (Level level : Level.values()) {
                        String what = shards + " shards, " + when + ", " + level + ", query " + q;
                        for (int k : new int[] {1, 10, 60}) {
                            assertSameHits(single.knn(level, query, k, latent), sharded.knn(level, query, k, latent), what + " k=" + k);
                        }
                        assertSameHits(single.radius(level, query, 6, latent), sharded.radius(level, query, 6, latent), what + " r=6");
                    }
                }
            }
        }
    }
}
