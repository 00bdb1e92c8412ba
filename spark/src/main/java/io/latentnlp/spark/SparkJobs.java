package io.latentnlp.spark;

import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.models.bundle.ShippedModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The jobs {@code spark-submit} runs (main class of the module's jar):
 *
 * <pre>
 * annotate --input PATH --output DIR [options]   Transformer output as Parquet (id, vae)
 * index    --input PATH --output DIR --shards N  a sharded semantic-hash index
 * index    --annotations DIR --output DIR --shards N --model M   the same from an annotate job's output
 * hashes   --annotations DIR                     id TAB sentence TAB hash lines, ordered (checks)
 * </pre>
 *
 * Options: {@code --format tsv} (default; lines {@code id TAB label TAB tokens}, one tokenized
 * sentence per line, its id {@code id/line}) or {@code text} (one raw-text document per line,
 * sentences and tokens by OpenNLP, its id the line number); {@code --model} (a shipped name, a
 * path on every node, or a {@code --files} name; default {@value ShippedModels#DEFAULT});
 * {@code --partitions N} (input partitions, default: Spark's); {@code --iwae K};
 * {@code --onnx-threads T} (default 1); {@code --batch N} (sentences per model call, default 256).
 * Each job prints one JSON line of counts and timing on stdout; Spark logs go to stderr. Exit
 * code 2 for bad usage, 1 for a failed job.
 */
public final class SparkJobs {

    private SparkJobs() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (UsageError e) {
            System.err.println("latent-nlp spark: " + e.getMessage());
            System.err.println("usage: SparkJobs annotate|index|hashes --input PATH --output DIR [--format tsv|text] [--model M] [--shards N]"
                    + " [--partitions N] [--iwae K] [--onnx-threads T] [--batch N] | hashes --annotations DIR");
            code = 2;
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("latent-nlp spark: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    static Map<String, String> options(String[] args, int from, List<String> known) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || !known.contains(args[i].substring(2))) {
                throw new UsageError("unknown option " + args[i] + " (known: --" + String.join(", --", known) + ")");
            }
            if (i + 1 >= args.length) {
                throw new UsageError(args[i] + " needs a value");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new UsageError("--" + name + " is required");
        }
        return v;
    }

    static int positive(Map<String, String> o, String name, int dflt, int min) {
        String v = o.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new UsageError("--" + name + " " + v + ": must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " " + v + ": not an integer");
        }
    }

    static int run(String[] args) throws java.io.IOException {
        if (args.length == 0) {
            throw new UsageError("give a job: annotate, index or hashes");
        }
        String job = args[0];
        List<String> known = List.of("input", "output", "format", "model", "shards", "partitions", "iwae", "onnx-threads", "batch", "annotations");
        Map<String, String> o = options(args, 1, known);
        if (!List.of("annotate", "index", "hashes").contains(job)) {
            throw new UsageError("unknown job '" + job + "' (annotate, index, hashes)");
        }
        SparkSession spark = SparkSession.builder().appName("latent-nlp " + job).getOrCreate();
        try {
            if (job.equals("hashes")) {
                Dataset<Row> a = spark.read().parquet(required(o, "annotations"));
                for (Row r : a.select(functions.col("id"), functions.posexplode(functions.col("vae.sentences")))
                        .select(functions.col("id"), functions.col("pos"), functions.col("col.hash")).orderBy("id", "pos").collectAsList()) {
                    System.out.println(r.get(0) + "\t" + r.get(1) + "\t" + r.get(2));
                }
                return 0;
            }
            String model = o.getOrDefault("model", ShippedModels.DEFAULT);
            String format = o.getOrDefault("format", "tsv");
            if (!format.equals("tsv") && !format.equals("text")) {
                throw new UsageError("--format " + format + ": tsv or text");
            }
            boolean annotated = job.equals("index") && o.containsKey("annotations");
            Dataset<Row> input = annotated ? spark.read().parquet(o.get("annotations")) : input(spark, required(o, "input"), format, positive(o, "partitions", 0, 1));
            SentenceVaeTransformer vae = new SentenceVaeTransformer().setInputCol(format.equals("tsv") ? "tokens" : "text").setModel(model)
                    .setIwaeSamples(positive(o, "iwae", 0, 0)).setOnnxThreads(positive(o, "onnx-threads", 1, 1)).setBatchSentences(positive(o, "batch", 256, 1));
            String output = required(o, "output");
            long start = System.nanoTime();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("job", job);
            report.put("master", spark.sparkContext().master());
            report.put("model", model);
            report.put("partitions", input.rdd().getNumPartitions());
            if (job.equals("annotate")) {
                vae.transform(input).select("id", "vae").write().parquet(output);
                double seconds = (System.nanoTime() - start) / 1e9;
                Dataset<Row> written = spark.read().parquet(output);
                Row counts = written.agg(functions.count("*"), functions.countDistinct("id"), functions.sum(functions.size(functions.col("vae.sentences"))))
                        .first();
                report.put("rows", counts.getLong(0));
                report.put("distinctIds", counts.getLong(1));
                report.put("sentences", counts.getLong(2));
                report.put("seconds", round(seconds));
                report.put("sentencesPerSecond", round(counts.getLong(2) / seconds));
            } else {
                int shards = positive(o, "shards", 0, 1);
                if (shards == 0) {
                    throw new UsageError("--shards is required for index");
                }
                IndexIdentity identity = IndexIdentity.of(ShippedModels.resolve(BundleLocation.locate(model)));
                ShardManifest m = ShardedIndexWriter.write(annotated ? input : vae.transform(input), "id", "vae", Path.of(output), identity, shards);
                double seconds = (System.nanoTime() - start) / 1e9;
                long docs = m.shards().stream().mapToLong(ShardManifest.Shard::documents).sum();
                long sentences = m.shards().stream().mapToLong(ShardManifest.Shard::sentences).sum();
                report.put("shards", m.shards().size());
                report.put("documents", docs);
                report.put("sentences", sentences);
                report.put("seconds", round(seconds));
                report.put("sentencesPerSecond", round(sentences / seconds));
            }
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(report));
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
    }

    /** The input as rows (id, tokens) for tsv or (id, text) for text. */
    static Dataset<Row> input(SparkSession spark, String path, String format, int partitions) {
        // the id comes from the line's position in its input split: stable across task retries and partition counts
        Dataset<Row> lines = spark.read().text(path).withColumn("line", functions.monotonically_increasing_id());
        if (partitions > 0) {
            lines = lines.repartition(partitions);
        }
        if (format.equals("text")) {
            return lines.select(functions.col("line").cast("string").as("id"), functions.col("value").as("text"));
        }
        Dataset<Row> parts = lines.select(functions.col("line"), functions.split(functions.col("value"), "\t").as("f"));
        return parts.select(functions.concat_ws("/", functions.col("f").getItem(0), functions.col("line").cast("string")).as("id"),
                functions.split(functions.trim(functions.col("f").getItem(2)), " +").as("tokens"));
    }
}
