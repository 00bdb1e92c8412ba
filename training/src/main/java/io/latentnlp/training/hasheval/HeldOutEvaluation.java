package io.latentnlp.training.hasheval;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.HyperplaneLsh;
import io.latentnlp.models.hash.Itq;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.training.corpus.Corpus;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import io.latentnlp.training.features.FeatureCache;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The held-out-domain protocol: how well a hash fitted without a corpus retrieves in it, beside
 * the same method fitted on that corpus itself. For every labelled corpus C in turn (the held-out
 * one) and every encoder:
 *
 * <ul>
 *   <li>queries are C's test sentences, the database C's training sentences, an item is relevant
 *       when it has the query's label, precision@k by Hamming distance with ties to the earlier item
 *       of the database shuffled once with the seed: {@link HashEvaluation}'s sentence level, unchanged;
 *   <li>a backbone B is hashed by ITQ fitted on C's own training split ({@link #OWN}: the number
 *       to beat) and on the other corpora's training splits pooled ({@link #OTHERS}: what a
 *       shipped fit gives C); with references, also random-hyperplane LSH (no fit); when asked,
 *       float cosine over the 384 floats ({@link Settings#cosine()}) and ITQ at {@link Settings#wideBits()};
 *   <li>a bundle is measured with its hash as shipped, and rehashed: ITQ over its posterior means
 *       (what {@code latent-nlp rehash} fits) on the others' training splits, and on C's own.
 * </ul>
 *
 * Every fit reads at most {@link Settings#fitSample()} sentences, drawn uniformly with the seed
 * from the pooled splits (so a large corpus weighs in proportion to its size, as when the splits
 * are concatenated). Nothing here reads C's test split except to measure, and nothing is fitted on
 * anything but the given corpora's training splits. Each backbone embeds a text once per cache
 * ({@link FeatureCache}). Not thread-safe.
 */
public final class HeldOutEvaluation {

    /** Fit on the held-out corpus's own training split. */
    public static final String OWN = "own";
    /** Fit on the other corpora's training splits, pooled. */
    public static final String OTHERS = "others";
    /** No fit (LSH, float cosine, a bundle's hash as shipped). */
    public static final String NONE = "-";

    /**
     * A labelled corpus as a directory of {@code train.tsv} and {@code test.tsv} ("doc TAB label
     * TAB tokens", as scripts/fetch-brown.sh writes), named by the directory.
     */
    public record LabelledCorpus(String name, Corpus train, Corpus test) {

        /** Reads {@code dir/train.tsv} and {@code dir/test.tsv}; a missing file fails naming it. */
        public static LabelledCorpus read(Path dir) {
            for (String split : List.of("train.tsv", "test.tsv")) {
                if (!Files.isRegularFile(dir.resolve(split))) {
                    throw new IllegalArgumentException("held-out corpus " + dir + ": no " + dir.resolve(split)
                            + "; a labelled corpus is a directory of train.tsv and test.tsv (doc<TAB>label<TAB>tokens), e.g. data/brown after scripts/fetch-brown.sh");
                }
            }
            Path name = dir.toAbsolutePath().normalize().getFileName();
            return new LabelledCorpus(name == null ? dir.toString() : name.toString(), CorpusReader.read(dir.resolve("train.tsv")),
                    CorpusReader.read(dir.resolve("test.tsv")));
        }
    }

    /**
     * @param bits code length of the main rows (64)
     * @param k items retrieved per query
     * @param seed database shuffle, fit samples, ITQ rotations, LSH planes
     * @param fitSample the most sentences one fit reads
     * @param references also LSH, TF-IDF SimHash and random bits
     * @param wideBits a second ITQ code length fitted both ways (e.g. 128); 0 = none. Each fit costs
     *     n bits^2 per iteration, so 128 bits cost four times 64.
     * @param cosine also float cosine retrieval over each backbone (a full scan: queries x database x 384
     *     multiply-adds, minutes on Brown)
     */
    public record Settings(int bits, int k, long seed, int fitSample, boolean references, int wideBits, boolean cosine) {
        /** Without a second ITQ code length or float cosine. */
        public Settings(int bits, int k, long seed, int fitSample, boolean references) {
            this(bits, k, seed, fitSample, references, 0, false);
        }

        public Settings {
            if (wideBits < 0 || wideBits > 1024) {
                throw new IllegalArgumentException("illegal wide bit count " + wideBits + ": must be in [0, 1024], 0 = none");
            }
            if (bits < 1 || bits > 1024) {
                throw new IllegalArgumentException("illegal bit count " + bits + ": must be in [1, 1024]");
            }
            if (k < 1) {
                throw new IllegalArgumentException("illegal k " + k + ": must be at least 1");
            }
            if (fitSample < 2) {
                throw new IllegalArgumentException("illegal fit sample " + fitSample + ": ITQ needs at least 2 sentences");
            }
        }
    }

    /**
     * One measured cell.
     *
     * @param heldOut the held-out corpus
     * @param encoder a backbone name or a bundle's name
     * @param method {@code itq}, {@code lsh}, {@code cosine}, {@code shipped} (a bundle's own hash) or {@code rehash} (ITQ over its posterior means)
     * @param fit {@link #OWN}, {@link #OTHERS} or {@link #NONE}
     * @param bits code length; 0 for float cosine
     * @param precision mean precision@k in [0, 1]
     * @param fitItems sentences the fit read (0 without a fit)
     */
    public record Cell(String heldOut, String encoder, String method, String fit, int bits, double precision, int fitItems) {}

    private final List<LabelledCorpus> corpora;
    private final Settings settings;
    private final Path cache;
    private final PrintStream log;
    private final Map<String, HashEvaluation> evaluations = new LinkedHashMap<>();
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, String> bundleBackbones = new LinkedHashMap<>();

    /**
     * @param corpora at least two, with distinct names
     * @param cache where backbone embeddings are kept ({@link FeatureCache}); null = recompute
     */
    public HeldOutEvaluation(List<LabelledCorpus> corpora, Settings settings, Path cache, PrintStream log) {
        if (corpora.size() < 2) {
            throw new IllegalArgumentException("the held-out protocol needs at least 2 labelled corpora (one held out, the others to fit on), got " + corpora.size());
        }
        this.corpora = List.copyOf(corpora);
        this.settings = settings;
        this.cache = cache;
        this.log = log;
        HashEvaluation.Settings hs = new HashEvaluation.Settings(List.of(settings.bits()), List.of(HashEvaluation.Level.SENTENCE), settings.k(), settings.seed());
        for (LabelledCorpus c : corpora) {
            if (evaluations.put(c.name(), new HashEvaluation(c.train(), c.test(), hs, log)) != null) {
                throw new IllegalArgumentException("two held-out corpora are named " + c.name() + "; give directories of distinct names");
            }
        }
    }

    /** The cells measured so far, in order. */
    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** ITQ over a backbone's embeddings fitted on each corpus's own and on the other corpora's training splits (also at the wide bit count); with references, LSH and cosine. */
    public void evaluateBackbone(PretrainedBackbone backbone) {
        String name = backbone.spec().name();
        TokenNormalizer normalizer = TokenNormalizer.defaults();
        Function<Corpus, List<String>> texts = c -> c.sentences().stream().map(s -> normalizer.text(s.tokens(), Integer.MAX_VALUE)).toList();
        Map<String, float[][]> train = new LinkedHashMap<>();
        Map<String, float[][]> test = new LinkedHashMap<>();
        for (LabelledCorpus c : corpora) {
            train.put(c.name(), FeatureCache.embed(backbone, texts.apply(c.train()), cache, c.name() + " train", log));
            test.put(c.name(), FeatureCache.embed(backbone, texts.apply(c.test()), cache, c.name() + " test", log));
        }
        List<Integer> bitCounts = settings.wideBits() > 0 ? List.of(settings.bits(), settings.wideBits()) : List.of(settings.bits());
        for (LabelledCorpus c : corpora) {
            log.printf("held out %s, backbone %s%n", c.name(), name);
            float[][] own = sample(train.get(c.name()), settings.fitSample(), settings.seed());
            float[][] others = sample(pooledOthers(train, c.name()), settings.fitSample(), settings.seed());
            for (int bits : bitCounts) {
                if (bits > backbone.dim()) {
                    continue;
                }
                for (String fit : List.of(OWN, OTHERS)) {
                    float[][] rows = fit.equals(OWN) ? own : others;
                    Itq itq = Itq.fit(rows, bits, 50, settings.seed());
                    measure(c, name, "itq", fit, rows.length, HashEvaluation.hashRows(train.get(c.name()), itq::hash), HashEvaluation.hashRows(test.get(c.name()), itq::hash));
                }
            }
            if (settings.references()) {
                HyperplaneLsh lsh = new HyperplaneLsh(backbone.dim(), settings.bits(), Seeds.mix64(settings.seed() ^ settings.bits()));
                measure(c, name, "lsh", NONE, 0, HashEvaluation.hashRows(train.get(c.name()), lsh::hash), HashEvaluation.hashRows(test.get(c.name()), lsh::hash));
            }
            if (settings.cosine()) {
                HashEvaluation e = evaluations.get(c.name());
                e.evaluateVectors(name + "-cosine", "cosine over " + name, train.get(c.name()), test.get(c.name()));
                cells.add(new Cell(c.name(), name, "cosine", NONE, 0, last(e).precision(), 0));
            }
        }
    }

    /** A bundle's hash as shipped, and ITQ over its posterior means refitted on the others' and on the own training split, at the bundle's bit count. */
    public void evaluateBundle(ModelBundle bundle, SentenceVae.Options options) {
        Manifest m = bundle.manifest();
        if (m.hash() == null) {
            throw new IllegalArgumentException(bundle.source() + " has no hash spec in its manifest; it cannot be evaluated as a hash");
        }
        String name = m.name();
        bundleBackbones.put(name, backboneOf(bundle));
        SentenceEncoder encoder = bundle.sentenceEncoder();
        Map<String, Posterior[]> train = new LinkedHashMap<>();
        Map<String, Posterior[]> test = new LinkedHashMap<>();
        try (SentenceVae vae = SentenceVae.open(bundle, options)) {
            for (LabelledCorpus c : corpora) {
                train.put(c.name(), FeatureCache.encode(vae, encode(encoder, c.train()), cache, name + " " + c.name() + " train", log));
                test.put(c.name(), FeatureCache.encode(vae, encode(encoder, c.test()), cache, name + " " + c.name() + " test", log));
            }
            Map<String, float[][]> trainMeans = new LinkedHashMap<>();
            train.forEach((k, q) -> trainMeans.put(k, means(q)));
            int bits = m.hash().bits();
            for (LabelledCorpus c : corpora) {
                log.printf("held out %s, bundle %s%n", c.name(), name);
                measure(c, name, "shipped", NONE, 0, Arrays.stream(train.get(c.name())).map(vae::hash).toList(), Arrays.stream(test.get(c.name())).map(vae::hash).toList());
                float[][] testMeans = means(test.get(c.name()));
                for (String fit : List.of(OTHERS, OWN)) {
                    float[][] rows = sample(fit.equals(OWN) ? trainMeans.get(c.name()) : pooledOthers(trainMeans, c.name()), settings.fitSample(), settings.seed());
                    Itq itq = Itq.fit(rows, Math.min(bits, rows[0].length), 50, settings.seed());
                    measure(c, name, "rehash", fit, rows.length, HashEvaluation.hashRows(trainMeans.get(c.name()), itq::hash), HashEvaluation.hashRows(testMeans, itq::hash));
                }
            }
        }
    }

    /** TF-IDF SimHash and random bits at the main bit count, on every corpus (references; SimHash's IDF comes from the corpus's own training split). */
    public void evaluateTextBaselines() {
        for (LabelledCorpus c : corpora) {
            HashEvaluation e = evaluations.get(c.name());
            int before = e.rows().size();
            e.evaluateBaselines();
            for (HashEvaluation.Row r : e.rows().subList(before, e.rows().size())) {
                cells.add(new Cell(c.name(), r.method(), r.method(), r.method().equals("simhash") ? OWN : NONE, r.bits(), r.precision(), 0));
            }
        }
    }

    /** The sentences one corpus's "others" fit pools: every other corpus's training split, in corpus order (before sampling). */
    List<CorpusSentence> othersTraining(String heldOut) {
        List<CorpusSentence> out = new ArrayList<>();
        corpora.stream().filter(c -> !c.name().equals(heldOut)).forEach(c -> out.addAll(c.train().sentences()));
        return out;
    }

    private <T> T[] pooledOthers(Map<String, T[]> rows, String heldOut) {
        List<T> out = new ArrayList<>();
        for (LabelledCorpus c : corpora) {
            if (!c.name().equals(heldOut)) {
                out.addAll(Arrays.asList(rows.get(c.name())));
            }
        }
        return out.toArray(Arrays.copyOf(rows.get(heldOut), 0));
    }

    /** At most {@code max} rows drawn uniformly without replacement with the seed, in their original order; all rows when there are no more. */
    static float[][] sample(float[][] rows, int max, long seed) {
        if (rows.length <= max) {
            return rows;
        }
        int[] idx = new int[rows.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom rng = Seeds.stream(seed, rows.length, 91);
        for (int i = 0; i < max; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, max);
        Arrays.sort(chosen);
        float[][] out = new float[max][];
        for (int i = 0; i < max; i++) {
            out[i] = rows[chosen[i]];
        }
        return out;
    }

    private void measure(LabelledCorpus c, String encoder, String method, String fit, int fitItems, List<SemanticHash> trainCodes, List<SemanticHash> testCodes) {
        HashEvaluation e = evaluations.get(c.name());
        e.evaluateCodes(encoder + "-" + method + "-" + fit, encoder + " " + method + " (fit: " + fit + ")", trainCodes, testCodes);
        HashEvaluation.Row r = last(e);
        cells.add(new Cell(c.name(), encoder, method, fit, r.bits(), r.precision(), fitItems));
    }

    private static HashEvaluation.Row last(HashEvaluation e) {
        return e.rows().get(e.rows().size() - 1);
    }

    private static List<EncodedSentence> encode(SentenceEncoder encoder, Corpus corpus) {
        return corpus.sentences().stream().map(s -> encoder.encode(s.tokens())).toList();
    }

    private static float[][] means(Posterior[] q) {
        float[][] out = new float[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i].expectation();
        }
        return out;
    }

    /** The backbone a bundle's hash descends from: its own (pretrained family), or its base's (a student sharing a teacher's files); null if none. */
    private static String backboneOf(ModelBundle bundle) {
        Manifest m = bundle.manifest();
        if (Manifest.Encoder.PRETRAINED.equals(m.encoderFamily())) {
            return m.encoder().backbone().name();
        }
        if (m.base() != null && ShippedModels.isShipped(m.base())) {
            Manifest base = ShippedModels.resolve(m.base()).manifest();
            return Manifest.Encoder.PRETRAINED.equals(base.encoderFamily()) ? base.encoder().backbone().name() : null;
        }
        return null;
    }

    private Double find(String heldOut, String encoder, String method, String fit, int bits) {
        for (Cell c : cells) {
            if (c.heldOut().equals(heldOut) && c.encoder().equals(encoder) && c.method().equals(method) && c.fit().equals(fit) && (bits < 0 || c.bits() == bits)) {
                return c.precision();
            }
        }
        return null;
    }

    private static String pct(Double p) {
        return p == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * p);
    }

    private static String diff(Double a, Double b) {
        return a == null || b == null ? "-" : String.format(Locale.ROOT, "%+.2f", 100 * (a - b));
    }

    /**
     * The tables: backbones (ITQ fitted on the own vs the others' training splits, references),
     * bundles (as shipped, rehashed, against ITQ over their backbone fitted on the own split), and
     * per corpus the sizes, text baselines, label prior and ceiling.
     */
    public String markdown() {
        int b = settings.bits();
        String k = "P@" + settings.k();
        StringBuilder sb = new StringBuilder();
        List<String> backbones = cells.stream().filter(c -> c.method().equals("itq")).map(Cell::encoder).distinct().toList();
        if (!backbones.isEmpty()) {
            sb.append("| held-out corpus | backbone | ITQ-").append(b).append(" fitted on its own train (to beat) | ITQ-").append(b)
                    .append(" fitted on the others | others - own |");
            int w = settings.wideBits();
            if (w > 0) {
                sb.append(" ITQ-").append(w).append(" own | ITQ-").append(w).append(" others |");
            }
            if (settings.references()) {
                sb.append(" LSH-").append(b).append(" |");
            }
            if (settings.cosine()) {
                sb.append(" float cosine |");
            }
            sb.append("\n|---|---|---:|---:|---:|").append(w > 0 ? "---:|---:|" : "").append(settings.references() ? "---:|" : "").append(settings.cosine() ? "---:|" : "")
                    .append('\n');
            for (LabelledCorpus c : corpora) {
                for (String bb : backbones) {
                    Double own = find(c.name(), bb, "itq", OWN, b);
                    Double others = find(c.name(), bb, "itq", OTHERS, b);
                    sb.append("| ").append(c.name()).append(" | ").append(bb).append(" | ").append(pct(own)).append(" | ").append(pct(others)).append(" | ")
                            .append(diff(others, own)).append(" |");
                    if (w > 0) {
                        sb.append(' ').append(pct(find(c.name(), bb, "itq", OWN, w))).append(" | ").append(pct(find(c.name(), bb, "itq", OTHERS, w))).append(" |");
                    }
                    if (settings.references()) {
                        sb.append(' ').append(pct(find(c.name(), bb, "lsh", NONE, b))).append(" |");
                    }
                    if (settings.cosine()) {
                        sb.append(' ').append(pct(find(c.name(), bb, "cosine", NONE, 0))).append(" |");
                    }
                    sb.append('\n');
                }
            }
            sb.append('\n');
        }
        if (!bundleBackbones.isEmpty()) {
            sb.append("| held-out corpus | bundle | as shipped | rehashed on the others | rehashed on its own train | ITQ-").append(b)
                    .append(" over its backbone, own train (to beat) | shipped - to beat |\n|---|---|---:|---:|---:|---:|---:|\n");
            for (LabelledCorpus c : corpora) {
                for (Map.Entry<String, String> e : bundleBackbones.entrySet()) {
                    Double shipped = find(c.name(), e.getKey(), "shipped", NONE, -1);
                    Double toBeat = e.getValue() == null ? null : find(c.name(), e.getValue(), "itq", OWN, b);
                    sb.append("| ").append(c.name()).append(" | ").append(e.getKey()).append(" | ").append(pct(shipped)).append(" | ")
                            .append(pct(find(c.name(), e.getKey(), "rehash", OTHERS, -1))).append(" | ").append(pct(find(c.name(), e.getKey(), "rehash", OWN, -1)))
                            .append(" | ").append(pct(toBeat)).append(e.getValue() == null ? "" : " (" + e.getValue() + ")").append(" | ").append(diff(shipped, toBeat))
                            .append(" |\n");
                }
            }
            sb.append('\n');
        }
        sb.append("| held-out corpus | queries (test) | database (train) | labels | fit sentences: own / others |");
        if (settings.references()) {
            sb.append(" TF-IDF SimHash-").append(b).append(" | random-").append(b).append(" |");
        }
        sb.append(" label prior | ceiling |\n").append(settings.references() ? "|---|---:|---:|---:|---|---:|---:|---:|---:|\n" : "|---|---:|---:|---:|---|---:|---:|\n");
        for (LabelledCorpus c : corpora) {
            HashEvaluation e = evaluations.get(c.name());
            long labels = c.train().sentences().stream().map(CorpusSentence::genre).distinct().count();
            int ownFit = Math.min(c.train().sentences().size(), settings.fitSample());
            int othersFit = Math.min(othersTraining(c.name()).size(), settings.fitSample());
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %d | %,d / %,d |", c.name(), c.test().sentences().size(), c.train().sentences().size(), labels,
                    ownFit, othersFit));
            if (settings.references()) {
                sb.append(' ').append(pct(find(c.name(), "simhash", "simhash", OWN, b))).append(" | ").append(pct(find(c.name(), "random", "random", NONE, b))).append(" |");
            }
            sb.append(' ').append(pct(e.chanceLevel(HashEvaluation.Level.SENTENCE))).append(" | ").append(pct(e.ceiling(HashEvaluation.Level.SENTENCE))).append(" |\n");
        }
        sb.append('\n').append(k).append(" by label, sentence level: queries are the held-out corpus's test sentences, the database its training sentences;")
                .append(" \"own\" fits read that corpus's training split, \"others\" the other corpora's training splits pooled; every fit reads at most ")
                .append(String.format(Locale.ROOT, "%,d", settings.fitSample())).append(" sentences (uniform sample, seed ").append(settings.seed()).append(").\n");
        return sb.toString();
    }
}
