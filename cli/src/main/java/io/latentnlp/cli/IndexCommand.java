package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.ShippedModels;
import io.latentnlp.training.ProgressBar;
import io.latentnlp.training.corpus.CorpusFormat;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code latent-nlp index add|stats}: build and inspect a semantic-hash index. */
@Command(
        name = "index",
        mixinStandardHelpOptions = true,
        description = "Builds and inspects a semantic-hash index (Lucene, multi-index hashing). Search it with `latent-nlp search`.",
        subcommands = {IndexCommand.Add.class, IndexCommand.Delete.class, IndexCommand.Stats.class, IndexCommand.Bench.class})
final class IndexCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, delete, stats or bench");
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Encodes texts with a model and adds them to an index (created when DIR holds none). A .tsv file is a Brown-style corpus",
                "(doc, genre, tokens per line: one text per doc id); any other file is one text, one whitespace-tokenized sentence per line.",
                "Adding an id again replaces the text. Sentence codes are the model's hashes; a document's code is the majority vote of its",
                "sentences' bits. Commits every --commit-every texts and at the end; a killed run keeps every committed text."
            })
    static final class Add implements Callable<Integer> {

        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory.")
        Path index;

        @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
                description = LatentNlp.MODEL_HELP + " whose hashes the index holds; default ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--substrings", defaultValue = "0", description = "Multi-index hashing substrings m for a new index, 0 = bits / 16 (default: ${DEFAULT-VALUE}).")
        int substrings;

        @Option(names = "--commit-every", defaultValue = "1000", description = "Texts between commits (default: ${DEFAULT-VALUE}).")
        int commitEvery;

        @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--raw", description = "Lines of non-.tsv files are raw text, tokenized on words and punctuation as search queries are"
                + " (default: whitespace-tokenized).")
        boolean raw;

        @Parameters(arity = "1..*", paramLabel = "FILES", description = "Texts to index.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            if (commitEvery < 1) {
                throw new IllegalArgumentException("illegal --commit-every " + commitEvery + ": must be at least 1");
            }
            ModelBundle bundle = ShippedModels.resolve(model);
            Map<String, List<List<String>>> texts = new LinkedHashMap<>();
            for (Path f : files) {
                boolean brown = CorpusFormat.guess(f) == CorpusFormat.BROWN;
                for (CorpusSentence s : CorpusReader.read(f).sentences()) {
                    String id = brown ? s.docId() : f.getFileName().toString();
                    List<String> tokens = raw && !brown ? TextEncoder.tokenize(String.join(" ", s.tokens())) : s.tokens();
                    texts.computeIfAbsent(id, x -> new ArrayList<>()).add(tokens);
                }
            }
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("no sentences in " + files);
            }
            long sentences = texts.values().stream().mapToLong(List::size).sum();
            long start = System.nanoTime();
            try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, 64));
                    HashIndex idx = HashIndex.openForWriting(index, IndexIdentity.of(bundle), substrings)) {
                TextEncoder encoder = new TextEncoder(vae);
                ProgressBar bar = new ProgressBar("index", texts.size(), System.err);
                int done = 0;
                for (Map.Entry<String, List<List<String>>> e : texts.entrySet()) {
                    idx.add(encoder.text(e.getKey(), e.getValue()));
                    done++;
                    if (done % commitEvery == 0) {
                        idx.commit();
                    }
                    double secs = (System.nanoTime() - start) / 1e9;
                    bar.update(done, String.format("%.1f documents/s", done / Math.max(secs, 1e-9)));
                }
                idx.commit();
                double secs = (System.nanoTime() - start) / 1e9;
                bar.finish(String.format("%.1f documents/s", done / Math.max(secs, 1e-9)));
                HashIndex.Stats stats = idx.stats();
                System.out.printf("indexed %d texts (%d sentences) in %.1f s: %.1f documents/s, %.0f sentences/s; index now %d documents, %d sentences%n",
                        done, sentences, secs, done / secs, sentences / secs, stats.documents(), stats.sentences());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes texts (and their sentences) by id, in one commit.")
    static final class Delete implements Callable<Integer> {

        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory.")
        Path index;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "Ids of the texts to delete.")
        List<String> ids;

        @Override
        public Integer call() throws Exception {
            IndexIdentity identity;
            try (HashIndex read = HashIndex.openForReading(index, null)) {
                identity = read.identity();
            }
            int deleted = 0;
            List<String> missing = new ArrayList<>();
            try (HashIndex idx = HashIndex.openForWriting(index, identity, 0)) {
                for (String id : ids) {
                    if (idx.delete(id)) {
                        deleted++;
                    } else {
                        missing.add(id);
                    }
                }
                idx.commit();
            }
            System.out.println("deleted " + deleted + " texts" + (missing.isEmpty() ? "" : "; not in the index: " + String.join(", ", missing)));
            return missing.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Prints what an index holds and what made it.")
    static final class Stats implements Callable<Integer> {

        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory.")
        Path index;

        @Override
        public Integer call() throws Exception {
            try (HashIndex idx = HashIndex.openForReading(index, null)) {
                HashIndex.Stats s = idx.stats();
                System.out.println("index       " + index);
                System.out.println("model       " + s.identity());
                System.out.println("code bits   " + s.identity().bits() + " (" + s.substrings() + " substrings for multi-index hashing)");
                System.out.println("documents   " + s.documents());
                System.out.println("sentences   " + s.sentences());
                System.out.println("segments    " + s.segments());
                System.out.printf("disk        %.1f MB (%.0f bytes per indexed code)%n", s.bytesOnDisk() / 1e6,
                        s.bytesOnDisk() / (double) Math.max(1, s.documents() + s.sentences()));
            }
            return 0;
        }
    }

    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Measures exact k-NN on random codes (uniform, and clustered around n/1000 centres): in-memory multi-index hashing",
                "against the linear scan on the same queries, and a Lucene index for sizes up to --lucene-max. Every MIH result is checked",
                "against the scan. Also measures one core's sequential read bandwidth. Single-threaded. A markdown table on stdout."
            })
    static final class Bench implements Callable<Integer> {

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

        @Override
        public Integer call() throws Exception {
            double bandwidth = io.latentnlp.index.bench.HammingBenchmark.readBandwidth();
            System.err.printf("sequential read bandwidth (one core): %.2f GB/s%n", bandwidth / 1e9);
            List<io.latentnlp.index.bench.HammingBenchmark.Row> rows = io.latentnlp.index.bench.HammingBenchmark.run(
                    new io.latentnlp.index.bench.HammingBenchmark.Settings(sizes, bits, k, queries, luceneMax, scratch, seed), System.err);
            System.out.printf("one core's sequential read bandwidth: %.2f GB/s; k = %d, %d-bit codes, %d queries per row%n%n", bandwidth / 1e9, k, bits, queries);
            System.out.print(io.latentnlp.index.bench.HammingBenchmark.table(rows, bandwidth));
            return 0;
        }
    }
}
