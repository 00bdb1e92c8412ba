package io.latentnlp.cli;

import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.bench.RealCodes;
import io.latentnlp.index.bench.RealCodesBenchmark;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.bundle.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp index bench}: exact Hamming search measured on random or real codes (durable index, multi-index hashing, linear scan). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures exact Hamming search: the durable index, in-memory multi-index hashing and the linear scan, same run, one thread.",
            "Without --real: random codes (uniform, and clustered around n/1000 centres), exact k-NN, the durable index too for sizes",
            "up to --lucene-max, plus one core's sequential read bandwidth.",
            "With --real CODES: real semantic hashes. CODES (hex<TAB>sentence lines) is written first when missing, by encoding the",
            "distinct sentences of --corpus with -m (as `index add` does). Queries are held-out sentences; the rest are replicated to",
            "each size with 1 to --flips random bits flipped per copy, indexed as texts of --sentences-per-text sentences under",
            "--scratch (kept, and reused by a rerun), opened for reading, and searched at the sentence level for k = 1, 10, 100 and",
            "radius 3. Every result is checked against the scan. Markdown tables on stdout."
        })
final class IndexBenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "1000000,10000000", description = "Numbers of codes (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--bits", defaultValue = "64", description = "Code length (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--queries", defaultValue = "1000", description = "Measured queries per configuration (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--lucene-max", defaultValue = "1000000", description = "Largest size also indexed with Lucene, 0 = none (default: ${DEFAULT-VALUE}).")
    long luceneMax;

    @Option(names = "--scratch", defaultValue = "${java.io.tmpdir}", description = "Where the Lucene index is built (default: ${DEFAULT-VALUE}).")
    Path scratch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--real", paramLabel = "CODES", description = "Benchmark real codes from this file (written from --corpus when missing).")
    Path real;

    @Option(names = "--corpus", split = ",", paramLabel = "FILE", description = "Corpus files (.tsv or one sentence per line) to encode into --real.")
    List<Path> corpus;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + " that encodes --corpus; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--flips", defaultValue = "3", description = "With --real: each copy flips 1 to this many random bits (default: ${DEFAULT-VALUE}).")
    int flips;

    @Option(names = "--sentences-per-text", defaultValue = "10", description = "With --real: sentences per indexed text (default: ${DEFAULT-VALUE}).")
    int sentencesPerText;

    @Option(names = "--commit-every", defaultValue = "100000", description = "With --real: texts between commits while indexing (default: ${DEFAULT-VALUE}).")
    int commitEvery;

    @Option(names = "--threads", defaultValue = "1", description = "With --corpus: ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        for (long n : sizes) {
            UsageException.atLeast("--sizes", n, 1);
        }
        if (real != null) {
            return real();
        }
        UsageException.atLeast("--bits", bits, 1);
        UsageException.atLeast("-k", k, 1);
        UsageException.atLeast("--queries", queries, 1);
        UsageException.atLeast("--lucene-max", luceneMax, 0);
        double bandwidth = io.latentnlp.index.bench.HammingBenchmark.readBandwidth();
        System.err.printf("sequential read bandwidth (one core): %.2f GB/s%n", bandwidth / 1e9);
        List<io.latentnlp.index.bench.HammingBenchmark.Row> rows = io.latentnlp.index.bench.HammingBenchmark.run(
                new io.latentnlp.index.bench.HammingBenchmark.Settings(sizes, bits, k, queries, luceneMax, scratch, seed), System.err);
        System.out.printf("one core's sequential read bandwidth: %.2f GB/s; k = %d, %d-bit codes, %d queries per row%n%n", bandwidth / 1e9, k, bits, queries);
        System.out.print(io.latentnlp.index.bench.HammingBenchmark.table(rows, bandwidth));
        return 0;
    }

    private int real() throws Exception {
        UsageException.atLeast("--queries", queries, 1);
        UsageException.atLeast("--flips", flips, 0);
        UsageException.atLeast("--sentences-per-text", sentencesPerText, 1);
        UsageException.atLeast("--commit-every", commitEvery, 1);
        UsageException.atLeast("--threads", threads, 0);
        for (long n : sizes) {
            if (n > Integer.MAX_VALUE / 2) {
                throw UsageException.invalid("--sizes", n, "with --real, sizes must be below " + Integer.MAX_VALUE / 2 + " (codes of one JVM array)");
            }
        }
        ModelBundle bundle = ShippedModels.resolve(model);
        IndexIdentity identity = IndexIdentity.of(bundle);
        if (!Files.exists(real)) {
            if (corpus == null || corpus.isEmpty()) {
                throw new UsageException("--real " + real + " does not exist; give --corpus FILE,... to encode it first");
            }
            List<String> sentences = RealCodes.distinctSentences(corpus);
            System.err.printf("encoding %d distinct sentences of %s with %s into %s%n", sentences.size(), corpus, identity, real);
            try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, 64))) {
                RealCodes.encode(vae, sentences, real, System.err);
            }
        }
        Files.createDirectories(scratch);
        RealCodesBenchmark.Result result = RealCodesBenchmark.run(
                new RealCodesBenchmark.Settings(real, identity.bits(), sizes, queries, flips, sentencesPerText, commitEvery, scratch, seed, identity), System.err);
        System.out.printf("real codes of %s from %s; %d measured queries per row (held-out sentences), one thread; copies flip 1-%d bits%n%n", identity, real,
                queries, flips);
        System.out.print(RealCodesBenchmark.table(result));
        return 0;
    }
}
