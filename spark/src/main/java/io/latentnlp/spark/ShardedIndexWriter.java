package io.latentnlp.spark;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a sharded semantic-hash index from the output of {@link SentenceVaeTransformer}: texts
 * are hash-partitioned by id into N partitions (so each id lands in exactly one shard, which is
 * what makes {@link io.latentnlp.index.ShardedHashIndex}'s merge exact), and each partition's task
 * writes one {@link HashIndex} shard. Needs no model on the executors: the codes are already in
 * the rows.
 *
 * <p>Fault tolerance: a task attempt writes its shard under {@code DIR/_attempts/} and, once
 * committed and closed, renames it atomically to {@code DIR/shard-NNNNN}; an attempt killed
 * midway leaves only a directory under {@code _attempts}, which the driver deletes at the end. A
 * second attempt of a partition that already has its shard (speculation, or a finished task
 * whose executor died before reporting) discards its own copy. The driver then checks that every
 * partition has its shard and writes {@code shards.json} last: a directory with a manifest is a
 * complete index. {@code DIR} must be on a file system every executor and the driver see at the
 * same path (one machine, or a shared mount such as NFS); Lucene cannot write to HDFS or S3.
 *
 * <p>The partition of an id is Spark's {@code pmod(hash(id), N)}, which {@link io.latentnlp.index.IdPartitioning}
 * recomputes without Spark, so that {@code latent-nlp index add} and {@code delete} find a text's
 * shard; the manifest names it ({@code "partitioning"}) and the tests check that the two agree.
 */
public final class ShardedIndexWriter {

    private ShardedIndexWriter() {}

    /** Shard directory name of a partition. */
    public static String shardName(int partition) {
        return String.format("shard-%05d", partition);
    }

    /**
     * Writes the index and returns its manifest.
     *
     * @param annotated rows holding an id column and the Transformer's output struct
     * @param idCol the text id (unique; any type, read as its string form)
     * @param vaeCol the Transformer's output column
     * @param dir a new or empty directory
     * @param identity the identity of the model that made the codes ({@link IndexIdentity#of})
     * @param shards N, at least 1
     */
    public static ShardManifest write(Dataset<Row> annotated, String idCol, String vaeCol, Path dir, IndexIdentity identity, int shards)
            throws IOException {
        if (shards < 1) {
            throw new IllegalArgumentException("illegal shards " + shards + ": must be at least 1");
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
            throw new IllegalArgumentException("index output " + dir + " exists and is not an empty directory: give a new directory");
        }
        Files.createDirectories(dir.resolve("_attempts"));
        Dataset<Row> texts = annotated.select(annotated.col(idCol).cast(DataTypes.StringType).as("id"), annotated.col(vaeCol).as("vae"))
                .repartition(shards, annotated.col(idCol).cast(DataTypes.StringType));
        StructType result = new StructType().add("shard", DataTypes.StringType).add("documents", DataTypes.LongType)
                .add("sentences", DataTypes.LongType).add("skipped", DataTypes.LongType);
        List<Row> written = texts.mapPartitions(new ShardTask(dir.toAbsolutePath().toString(), identity), Encoders.row(result)).collectAsList();
        List<ShardManifest.Shard> list = new ArrayList<>();
        for (int p = 0; p < shards; p++) {
            String name = shardName(p);
            Row r = written.stream().filter(w -> w.getString(0).equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("partition " + name + " reported no shard; the index at " + dir + " is incomplete"));
            if (!Files.isDirectory(dir.resolve(name))) {
                throw new IllegalStateException(dir.resolve(name) + " is missing after its task reported it");
            }
            list.add(new ShardManifest.Shard(name, r.getLong(1), r.getLong(2)));
        }
        deleteTree(dir.resolve("_attempts"));
        ShardManifest manifest = new ShardManifest(identity, list);
        manifest.write(dir);
        return manifest;
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The task: one partition's texts into one shard. */
    private static final class ShardTask implements MapPartitionsFunction<Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String dir;
        // IndexIdentity is a plain record, not Serializable: its fields travel instead
        private final String model;
        private final String modelDigest;
        private final String hashMethod;
        private final int bits;

        ShardTask(String dir, IndexIdentity identity) {
            this.dir = dir;
            this.model = identity.model();
            this.modelDigest = identity.modelDigest();
            this.hashMethod = identity.hashMethod();
            this.bits = identity.bits();
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) throws IOException {
            IndexIdentity identity = new IndexIdentity(model, modelDigest, hashMethod, bits);
            TaskContext task = TaskContext.get();
            String name = shardName(task.partitionId());
            Path root = Path.of(dir);
            Path attempt = root.resolve("_attempts").resolve(name + "-attempt-" + task.taskAttemptId());
            long docs = 0;
            long sentences = 0;
            long skipped = 0;
            try (HashIndex shard = HashIndex.openForWriting(attempt, identity, 0)) {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    HashIndex.Text t = text(r.getString(0), r.isNullAt(1) ? null : r.getStruct(1), identity.bits());
                    if (t == null) {
                        skipped++;
                        continue;
                    }
                    shard.add(t);
                    docs++;
                    sentences += t.sentences().size();
                }
                shard.commit();
            }
            try {
                Files.move(attempt, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(root.resolve(name))) {
                    throw new UncheckedIOException("cannot move shard " + attempt + " to " + root.resolve(name), e);
                }
                deleteTree(attempt); // another attempt of this partition finished first; its shard holds the same texts
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(attempt);
            }
            return List.of(RowFactory.create(name, docs, sentences, skipped)).iterator();
        }
    }

    /**
     * A row of the Transformer's output as an indexed text, as {@link io.latentnlp.index.TextEncoder}
     * makes it: the sentences' texts one per line, their hashes and codes, the document's vote and
     * mean latent. Null when the document has no sentences (a null or empty input).
     */
    static HashIndex.Text text(String id, Row vae, int bits) {
        if (id == null) {
            throw new IllegalArgumentException("a text with a null id: every row needs an id");
        }
        if (vae == null || vae.isNullAt(0)) {
            return null;
        }
        List<Row> ss = vae.getList(3);
        StringBuilder text = new StringBuilder();
        List<HashIndex.Sentence> spans = new ArrayList<>(ss.size());
        for (Row s : ss) {
            if (text.length() > 0) {
                text.append('\n');
            }
            int begin = text.length();
            text.append(s.getString(0));
            spans.add(new HashIndex.Sentence(begin, text.length(), SemanticHash.fromHex(s.getString(2), bits), floats(s.getList(4))));
        }
        return new HashIndex.Text(id, text.toString(), SemanticHash.fromHex(vae.getString(0), bits), floats(vae.getList(2)), spans);
    }

    private static float[] floats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
