package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.hasheval.HashEvaluation.Level;
import io.latentnlp.training.hasheval.HashEvaluation.Row;
import io.latentnlp.training.hasheval.HashEvaluation;
import io.latentnlp.training.hasheval.HeldOutEvaluation;
import io.latentnlp.training.report.LineChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp eval-hash}: precision@k of semantic hashes against SimHash and random bits. */
@Command(
        name = "eval-hash",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures retrieval precision of semantic hashes as VDSH/NASH do: test items query the training items by Hamming distance,",
            "the top k are retrieved, and an item is relevant when it shares the query's label (the second column of the .tsv: a Brown",
            "genre, a Debian section, ...). Sentence level and document level (a document's code is a vote of its sentences' codes,",
            "thresholded at the median share over training documents). Baselines at every --bits: random-hyperplane SimHash over TF-IDF,",
            "random bits, and LSH and ITQ over the --backbone's sentence embeddings (what a user would pick instead of a VAE). Every row",
            "also measures the test codes' structure: Spearman correlation of Hamming distance with length difference over random pairs,",
            "mean distance at equal length and 8+ tokens apart, share of distinct codes, bit imbalance and mean |bit correlation|.",
            "Ties at the k-th distance go to the earlier item of the database shuffled once with --seed. Markdown tables go to stdout.",
            "With --held-out DIR,DIR,... (labelled corpora, each a directory of train.tsv and test.tsv): the held-out-domain protocol. For each",
            "corpus in turn, sentence level as above, ITQ over each of --backbones fitted on that corpus's own training split (the number to",
            "beat) and on the other corpora's training splits pooled (what a shipped fit gives), each --model as shipped and rehashed (ITQ over",
            "its posterior means) on the others' and on its own; with baselines also LSH, TF-IDF SimHash; --cosine adds float cosine, --wide-bits ITQ-N."
        })
final class EvalHashCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "A shipped model or a bundle to evaluate at its own bit count (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--train", paramLabel = "FILE", description = "Database items: a labelled .tsv (doc, label, tokens), e.g. data/brown/train.tsv or data/debian/train.tsv.")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "Query items, same format.")
    Path test;

    @Option(names = "--held-out", split = ",", paramLabel = "DIR",
            description = "Run the held-out-domain protocol over these labelled corpora (at least 2; each DIR holds train.tsv and test.tsv) instead of --train/--test.")
    List<Path> heldOut = new ArrayList<>();

    @Option(names = "--backbones", split = ",", paramLabel = "NAME", description = "Backbones of the held-out protocol, or none (default: every known backbone, the error for an unknown name lists them).")
    List<String> backbones;

    @Option(names = "--fit-sample", defaultValue = "50000", paramLabel = "N", description = "Held-out protocol: the most sentences one ITQ fit reads (default: ${DEFAULT-VALUE}).")
    int fitSample;

    @Option(names = "--wide-bits", defaultValue = "0", paramLabel = "N",
            description = "Held-out protocol: also ITQ at N bits, fitted both ways (e.g. 128; 4x the fitting time of 64); 0 = none (default: ${DEFAULT-VALUE}).")
    int wideBits;

    @Option(names = "--cosine", description = "Held-out protocol: also float cosine retrieval over each backbone (a full scan; minutes on Brown).")
    boolean cosine;

    @Option(names = "--bits", split = ",", description = "Bit counts of the baselines (default: 16,32,64; with --held-out one count, default 64).")
    List<Integer> bits;

    @Option(names = "--level", split = ",", defaultValue = "sentence,document", description = "sentence, document or both (default: ${DEFAULT-VALUE}).")
    List<String> levels;

    @Option(names = "-k", defaultValue = "100", description = "Items retrieved per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--no-baselines", description = "Evaluate only the given bundles.")
    boolean noBaselines;

    @Option(names = "--backbone", defaultValue = PretrainedBackbone.MINILM, paramLabel = "NAME",
            description = "Pretrained encoder of the LSH/ITQ baselines, or 'none' (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Keep the backbone's embeddings in DIR and reuse them (they take minutes on Brown).")
    Path featureCache;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the database shuffle, SimHash planes and random bits (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "PREFIX", description = "Write PREFIX-sentence.png and PREFIX-document.png: precision against bits per method.")
    String plot;

    @Override
    public Integer call() throws Exception {
        if (!heldOut.isEmpty()) {
            return heldOutProtocol();
        }
        if (train == null || test == null) {
            throw new UsageException("--train and --test are both needed (or --held-out DIR,DIR,... for the held-out-domain protocol)");
        }
        if (bits == null) {
            bits = List.of(16, 32, 64);
        }
        List<Level> parsedLevels = new ArrayList<>();
        for (String l : levels) {
            parsedLevels.add(UsageException.oneOf("--level", l.trim(), "sentence", "document").equals("sentence") ? Level.SENTENCE : Level.DOCUMENT);
        }
        if (models.isEmpty() && noBaselines) {
            throw new UsageException("nothing to evaluate: give --model bundles or drop --no-baselines");
        }
        UsageException.atLeast("-k", k, 1);
        for (int b : bits) {
            UsageException.atLeast("--bits", b, 1);
        }
        List<ModelBundle> bundles = new ArrayList<>();
        for (String p : models) {
            bundles.add(ShippedModels.resolve(p));
        }
        Corpus trainCorpus = CorpusReader.read(train);
        Corpus testCorpus = CorpusReader.read(test);
        HashEvaluation eval = new HashEvaluation(trainCorpus, testCorpus, new HashEvaluation.Settings(bits, parsedLevels, k, seed), System.err);
        for (ModelBundle b : bundles) {
            System.err.println("model " + b.source() + " (" + b.manifest().name() + ", " + b.manifest().hash().bits() + " bits, " + b.manifest().hash().method() + ")");
            eval.evaluateBundle(b, new SentenceVae.Options(threads, 256), featureCache);
        }
        if (!noBaselines) {
            System.err.println("baselines: SimHash over TF-IDF, random bits");
            eval.evaluateBaselines();
            if (!backbone.equals("none")) {
                System.err.println("baselines: LSH and ITQ over " + backbone);
                try (PretrainedBackbone b = PretrainedBackbone.open(PretrainedBackbone.spec(backbone), threads)) {
                    eval.evaluateBackbone(b, featureCache);
                }
            }
        }
        List<Row> rows = eval.rows();
        System.out.print(table(rows, parsedLevels, eval));
        System.out.println();
        System.out.print(structureTable(rows, k));
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("train", train.toString());
            out.put("test", test.toString());
            out.put("k", k);
            out.put("seed", seed);
            Map<String, Double> chance = new LinkedHashMap<>();
            parsedLevels.forEach(l -> chance.put(l.label(), eval.chanceLevel(l)));
            out.put("label_prior_precision", chance);
            Map<String, Double> ceiling = new LinkedHashMap<>();
            parsedLevels.forEach(l -> ceiling.put(l.label(), eval.ceiling(l)));
            out.put("ceiling_precision", ceiling);
            out.put("rows", rows);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        if (plot != null) {
            for (Level level : parsedLevels) {
                LineChart chart = new LineChart("Retrieval by label (" + test.getFileName() + "), " + level.label() + " level", "bits", "precision@" + k + " (%)").xTick(16);
                for (Row r : rows) {
                    if (r.level().equals(level.label())) {
                        chart.add(r.family(), r.bits(), 100 * r.precision());
                    }
                }
                Path png = Path.of(plot + "-" + level.label() + ".png");
                chart.write(png, 900, 560);
                System.err.println("plot: " + png);
            }
        }
        return 0;
    }

    /** The held-out-domain protocol ({@link HeldOutEvaluation}): markdown tables to stdout, cells to --json. */
    private int heldOutProtocol() throws Exception {
        if (train != null || test != null || plot != null) {
            throw new UsageException("--held-out takes its splits from each DIR; drop --train, --test and --plot");
        }
        if (heldOut.size() < 2) {
            throw new UsageException("--held-out needs at least 2 corpora (one held out, the others to fit on), got " + heldOut);
        }
        List<Integer> b = bits == null ? List.of(64) : bits;
        if (b.size() != 1) {
            throw new UsageException("--bits with --held-out takes one bit count (--wide-bits adds a second ITQ length), got " + b);
        }
        UsageException.atLeast("--bits", b.get(0), 1);
        UsageException.atLeast("-k", k, 1);
        UsageException.atLeast("--fit-sample", fitSample, 2);
        UsageException.atLeast("--wide-bits", wideBits, 0);
        List<String> names = backbones == null ? List.copyOf(PretrainedBackbone.known()) : backbones;
        for (String n : names) {
            if (!n.equals("none") && !PretrainedBackbone.known().contains(n)) {
                throw new UsageException("--backbones: unknown backbone '" + n + "' (known: " + String.join(", ", PretrainedBackbone.known()) + ", or none)");
            }
        }
        List<ModelBundle> bundles = new ArrayList<>();
        for (String p : models) {
            bundles.add(ShippedModels.resolve(p));
        }
        List<HeldOutEvaluation.LabelledCorpus> corpora = new ArrayList<>();
        for (Path dir : heldOut) {
            corpora.add(HeldOutEvaluation.LabelledCorpus.read(dir));
        }
        HeldOutEvaluation eval = new HeldOutEvaluation(corpora, new HeldOutEvaluation.Settings(b.get(0), k, seed, fitSample, !noBaselines, wideBits, cosine), featureCache, System.err);
        for (String n : names) {
            if (!n.equals("none")) {
                try (PretrainedBackbone bb = PretrainedBackbone.open(PretrainedBackbone.spec(n), threads)) {
                    eval.evaluateBackbone(bb);
                }
            }
        }
        for (ModelBundle m : bundles) {
            eval.evaluateBundle(m, new SentenceVae.Options(threads, 256));
        }
        if (!noBaselines) {
            eval.evaluateTextBaselines();
        }
        System.out.print(eval.markdown());
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("held_out", heldOut.stream().map(Path::toString).toList());
            out.put("k", k);
            out.put("seed", seed);
            out.put("fit_sample", fitSample);
            out.put("cells", eval.cells());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        return 0;
    }

    /** Markdown: precision and code structure, one row per measured cell. */
    static String structureTable(List<Row> rows, int k) {
        StringBuilder sb = new StringBuilder();
        sb.append("| level | method | bits | P@").append(k)
                .append(" | length Spearman | distance at equal length | distance 8+ apart | distinct | bit imbalance | mean abs bit correlation |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.2f |", r.level(), r.family(), r.bits(), 100 * r.precision()));
            if (r.structure() == null) {
                sb.append(" - | - | - | - | - | - |\n");
                continue;
            }
            var c = r.structure();
            sb.append(String.format(java.util.Locale.ROOT, " %.3f | %.1f | %.1f | %.3f | %.3f | %.3f |%n", c.lengthSpearman(), c.distanceEqualLength(),
                    c.distanceFarLength(), c.distinctShare(), c.bitImbalance(), c.bitCorrelation()));
        }
        return sb.toString();
    }

    /** Markdown: one row per method and level, one column per bit count. */
    static String table(List<Row> rows, List<Level> levels, HashEvaluation eval) {
        TreeSet<Integer> bitCounts = new TreeSet<>();
        rows.forEach(r -> bitCounts.add(r.bits()));
        StringBuilder sb = new StringBuilder();
        sb.append("| level | method |");
        bitCounts.forEach(b -> sb.append(' ').append(b).append(" bits |"));
        sb.append("\n|---|---|");
        bitCounts.forEach(b -> sb.append("---:|"));
        sb.append('\n');
        for (Level level : levels) {
            Map<String, Map<Integer, Double>> byMethod = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.level().equals(level.label())) {
                    byMethod.computeIfAbsent(r.family(), x -> new LinkedHashMap<>()).put(r.bits(), r.precision());
                }
            }
            for (Map.Entry<String, Map<Integer, Double>> e : byMethod.entrySet()) {
                sb.append("| ").append(level.label()).append(" | ").append(e.getKey()).append(" |");
                for (int b : bitCounts) {
                    Double p = e.getValue().get(b);
                    sb.append(p == null ? " - |" : String.format(" %.2f |", 100 * p));
                }
                sb.append('\n');
            }
            sb.append("| ").append(level.label()).append(" | label prior (sum over labels of P(test) P(train)) |");
            bitCounts.forEach(b -> sb.append(String.format(" %.2f |", 100 * eval.chanceLevel(level))));
            sb.append('\n');
            sb.append("| ").append(level.label()).append(" | ceiling (a perfect ranker) |");
            bitCounts.forEach(b -> sb.append(String.format(" %.2f |", 100 * eval.ceiling(level))));
            sb.append('\n');
        }
        return sb.toString();
    }
}
