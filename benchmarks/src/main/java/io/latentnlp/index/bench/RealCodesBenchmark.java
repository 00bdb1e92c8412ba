package io.latentnlp.index.bench;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.LayoutPlanner;
import io.latentnlp.index.LinearScan;
import io.latentnlp.index.MultiIndexHash;
import io.latentnlp.index.Neighbor;
import io.latentnlp.index.PackedCodes;
import io.latentnlp.index.SubstringLayout;
import io.latentnlp.models.hash.DocumentCodes;
import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Exact Hamming search on real semantic hashes, in one run: the durable {@link HashIndex} (Lucene,
 * opened for reading, searched through its public API) against in-memory multi-index hashing and
 * the linear scan over the same codes, for k-NN at several k and a radius.
 *
 * <p>Data: the codes of the distinct sentences of a corpus ({@link RealCodes}). A random set of
 * those sentences (seeded) is held out as queries: neither they nor copies of them are indexed,
 * so every query is a sentence the index has not seen. The others are replicated to n codes:
 * code i is base sentence (i mod bases), copy 0 exact, later copies with 1 to {@code maxFlips}
 * random bits flipped ({@link RealCodes#replica}). The index holds them as texts of
 * {@code sentencesPerText} consecutive codes (text t = codes 10t .. 10t+9, so a text mostly
 * continues one corpus document), each with the sentences' own strings and a document code (the
 * majority vote, as {@code index add} makes it), added with {@link HashIndex#add} and committed
 * every {@code commitEvery} texts. The sentence level is what is searched.
 *
 * <p>Every durable result (ids, positions, distances, order) and every in-memory MIH result is
 * checked against the linear scan's. One query thread. Not a test: numbers depend on the machine.
 */
public final class RealCodesBenchmark {

    /** One measured configuration. */
    public record Row(long codes, String method, String query, double p50Ms, double p99Ms, double qps, double meanHits) {}

    /** Per-size facts that are not per query. */
    public record Setup(long codes, long texts, double indexSeconds, long diskBytes, double openSeconds, double luceneOpenSeconds, double loadSeconds,
            double buildSeconds, long durableBytes, long inMemoryBytes, double inMemoryBuildSeconds, String durableLayout, String inMemoryLayout) {}

    /**
     * @param codesFile the encoded distinct sentences
     * @param bits code length of the codes file
     * @param sizes numbers of sentence codes
     * @param queries measured queries (after 50 warm-up queries)
     * @param maxFlips bits flipped in a copy: 1 to this many
     * @param sentencesPerText sentences per indexed text
     * @param commitEvery texts between commits while indexing
     * @param scratch where indexes are built (kept as real-N, and reused when complete)
     */
    public record Settings(Path codesFile, int bits, List<Long> sizes, int queries, int maxFlips, int sentencesPerText, int commitEvery, Path scratch,
            long seed, IndexIdentity identity) {}

    private static final int WARMUP = 50;
    /** Bumped when what HashIndex writes changes, so that a rerun rebuilds the indexes. */
    private static final int FORMAT = 2;
    private static final int[] KS = {1, 10, 100};
    private static final int RADIUS = 3;

    private RealCodesBenchmark() {}

    /** The measured rows and setups. */
    public record Result(List<Setup> setups, List<Row> rows) {}

    public static Result run(Settings settings, PrintStream log) throws IOException {
        RealCodes.Encoded encoded = RealCodes.read(settings.codesFile(), settings.bits());
        int distinct = encoded.codes().size();
        int heldOut = settings.queries() + WARMUP;
        if (heldOut * 2 > distinct) {
            throw new IllegalArgumentException(settings.codesFile() + " holds " + distinct + " codes, too few to hold out " + heldOut + " queries");
        }
        // Held-out queries: a seeded shuffle's first heldOut; the rest are the bases, in corpus order.
        int[] shuffled = new int[distinct];
        for (int i = 0; i < distinct; i++) {
            shuffled[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(settings.seed());
        for (int i = distinct - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        long[][] queries = new long[heldOut][];
        for (int q = 0; q < heldOut; q++) {
            queries[q] = encoded.codes().code(shuffled[q]);
        }
        int[] bases = Arrays.copyOfRange(shuffled, heldOut, distinct);
        Arrays.sort(bases);
        log.printf(Locale.ROOT, "%,d distinct codes: %,d held out as queries, %,d bases%n", distinct, heldOut, bases.length);

        List<Setup> setups = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (long size : settings.sizes()) {
            int n = Math.toIntExact(size);
            PackedCodes codes = new PackedCodes(settings.bits(), n);
            for (int i = 0; i < n; i++) {
                codes.add(RealCodes.replica(encoded.codes(), bases, i, settings.maxFlips(), settings.seed()), null);
            }
            Path dir = settings.scratch().resolve("real-" + n);
            double indexSeconds = buildIndex(dir, settings, encoded, bases, codes, log);
            long disk = directoryBytes(dir);

            // Durable: open for reading (checksums verified) and build the search structures.
            long t0 = System.nanoTime();
            try (HashIndex index = HashIndex.openForReading(dir, settings.identity())) {
                double luceneOpen = (System.nanoTime() - t0) / 1e9;
                HashIndex.SearchStructures st = index.searchStructures();
                double open = (System.nanoTime() - t0) / 1e9;
                log.printf(Locale.ROOT, "  open %.2f s (Lucene open + checksums %.2f s, codes %.2f s, tables %.2f s); sentences: %s%n", open, luceneOpen,
                        st.loadSeconds(), st.buildSeconds(), st.sentences());
                if (st.sentenceCodes() != n) {
                    throw new IllegalStateException(dir + " holds " + st.sentenceCodes() + " sentence codes, not " + n + "; delete it and rerun");
                }

                LinearScan scan = new LinearScan(codes);
                long b0 = System.nanoTime();
                LayoutPlanner.Plan plan = LayoutPlanner.plan(codes, 0);
                MultiIndexHash mih = new MultiIndexHash(codes, plan.layout());
                double mihBuild = (System.nanoTime() - b0) / 1e9;
                SubstringLayout plain = SubstringLayout.forSize(settings.bits(), n);
                MultiIndexHash contiguous = new MultiIndexHash(codes, plain);
                setups.add(new Setup(n, (n + settings.sentencesPerText() - 1) / settings.sentencesPerText(), indexSeconds, disk, open, luceneOpen,
                        st.loadSeconds(), st.buildSeconds(), st.bytes(), codes.codeBytes() + mih.tableBytes(), mihBuild, st.sentences().toString(),
                        plan.toString()));

                for (int k : KS) {
                    measure(rows, n, "k=" + k, queries, q -> scan.knn(q, k, null), q -> mih.knn(q, k, null), q -> contiguous.knn(q, k, null),
                            plain.substrings(), (expected, what) -> timeDurable(index, queries, expected, k, -1, settings.sentencesPerText(), what));
                }
                measure(rows, n, "r=" + RADIUS, queries, q -> scan.radius(q, RADIUS, null), q -> mih.radius(q, RADIUS, null),
                        q -> contiguous.radius(q, RADIUS, null), plain.substrings(),
                        (expected, what) -> timeDurable(index, queries, expected, -1, RADIUS, settings.sentencesPerText(), what));
            }
        }
        return new Result(setups, rows);
    }

    /** The durable index's timed searches, checked against the scan's results. */
    private interface Durable {
        double[] time(List<List<Neighbor>> expected, String what) throws IOException;
    }

    /** One query type: the scan, both in-memory layouts and the durable index, each checked against the scan. */
    private static void measure(List<Row> rows, int n, String what, long[][] queries, Function<long[], List<Neighbor>> scan,
            Function<long[], List<Neighbor>> planned, Function<long[], List<Neighbor>> contiguous, int contiguousM, Durable durable) throws IOException {
        List<List<Neighbor>> expected = new ArrayList<>();
        double[] scanMs = time(scan, queries, expected);
        List<List<Neighbor>> got = new ArrayList<>();
        double[] mihMs = time(planned, queries, got);
        check("in-memory MIH", expected, got, what);
        got.clear();
        double[] plainMs = time(contiguous, queries, got);
        check("in-memory MIH (contiguous)", expected, got, what);
        double[] durableMs = durable.time(expected, what);
        rows.add(row(n, "linear scan", what, scanMs, expected));
        rows.add(row(n, "in-memory MIH, planned layout", what, mihMs, expected));
        rows.add(row(n, "in-memory MIH, contiguous m=" + contiguousM, what, plainMs, expected));
        rows.add(row(n, "durable HashIndex", what, durableMs, expected));
    }

    /** Builds the index of the first n codes unless {@code dir} already holds it complete; returns seconds spent (0 when reused). */
    private static double buildIndex(Path dir, Settings settings, RealCodes.Encoded encoded, int[] bases, PackedCodes codes, PrintStream log)
            throws IOException {
        Path done = dir.resolve("benchmark-complete");
        String marker = settings.codesFile().toAbsolutePath() + " " + Files.size(settings.codesFile()) + " n=" + codes.size() + " flips=" + settings.maxFlips()
                + " per-text=" + settings.sentencesPerText() + " seed=" + settings.seed() + " queries=" + settings.queries() + " format=" + FORMAT;
        if (Files.exists(done) && Files.readString(done).equals(marker)) {
            log.printf(Locale.ROOT, "  reusing the index in %s (%s)%n", dir, marker);
            return 0;
        }
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        int n = codes.size();
        int per = settings.sentencesPerText();
        long start = System.nanoTime();
        try (HashIndex index = HashIndex.openForWriting(dir, settings.identity(), 0)) {
            int texts = (n + per - 1) / per;
            for (int t = 0; t < texts; t++) {
                StringBuilder text = new StringBuilder();
                List<HashIndex.Sentence> sentences = new ArrayList<>(per);
                List<SemanticHash> hashes = new ArrayList<>(per);
                for (int i = t * per; i < Math.min(n, (t + 1) * per); i++) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    int begin = text.length();
                    text.append(encoded.sentences().get(bases[i % bases.length]));
                    SemanticHash h = SemanticHash.fromWords(codes.code(i), codes.bits());
                    hashes.add(h);
                    sentences.add(new HashIndex.Sentence(begin, text.length(), h, null));
                }
                index.add(new HashIndex.Text(textId(t), text.toString(), DocumentCodes.majority(hashes), null, sentences));
                if ((t + 1) % settings.commitEvery() == 0) {
                    index.commit();
                    log.printf(Locale.ROOT, "  indexed %,d of %,d texts (%.0f s)%n", t + 1, texts, (System.nanoTime() - start) / 1e9);
                }
            }
            index.commit();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Files.writeString(done, marker);
        log.printf(Locale.ROOT, "  indexed %,d codes in %.0f s%n", n, secs);
        return secs;
    }

    static String textId(long t) {
        return String.format(Locale.ROOT, "t%09d", t);
    }

    private static long directoryBytes(Path dir) throws IOException {
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes += Files.size(f);
            }
        }
        return bytes;
    }

    /** Latencies (ms) of the measured queries; results of all queries (warm-up included) go to {@code results}. */
    private static double[] time(Function<long[], List<Neighbor>> search, long[][] queries, List<List<Neighbor>> results) {
        double[] ms = new double[queries.length - WARMUP];
        for (int q = 0; q < queries.length; q++) {
            long t = System.nanoTime();
            List<Neighbor> r = search.apply(queries[q]);
            long e = System.nanoTime();
            if (q >= WARMUP) {
                ms[q - WARMUP] = (e - t) / 1e6;
            }
            results.add(r);
        }
        return ms;
    }

    private static void check(String method, List<List<Neighbor>> expected, List<List<Neighbor>> got, String what) {
        for (int q = 0; q < expected.size(); q++) {
            if (!expected.get(q).equals(got.get(q))) {
                throw new IllegalStateException(method + " and the linear scan disagree on query " + q + " (" + what + "): this is a bug");
            }
        }
    }

    /** Durable searches, each checked against the scan: the same (text id, position, distance) list. */
    private static double[] timeDurable(HashIndex index, long[][] queries, List<List<Neighbor>> expected, int k, int radius, int per, String what)
            throws IOException {
        double[] ms = new double[queries.length - WARMUP];
        for (int q = 0; q < queries.length; q++) {
            SemanticHash query = SemanticHash.fromWords(queries[q], index.identity().bits());
            long t = System.nanoTime();
            List<Hit> hits = radius >= 0 ? index.radius(Level.SENTENCE, query, radius, null) : index.knn(Level.SENTENCE, query, k, null);
            long e = System.nanoTime();
            if (q >= WARMUP) {
                ms[q - WARMUP] = (e - t) / 1e6;
            }
            List<String> want = expected.get(q).stream().map(nb -> textId(nb.ordinal() / per) + "#" + nb.ordinal() % per + "@" + nb.distance()).toList();
            List<String> got = hits.stream().map(h -> h.id() + "#" + h.sentence() + "@" + h.distance()).toList();
            if (!want.equals(got)) {
                throw new IllegalStateException("the durable index and the linear scan disagree on query " + q + " (" + what + "): " + got + " vs " + want);
            }
        }
        return ms;
    }

    private static Row row(long n, String method, String query, double[] ms, List<List<Neighbor>> results) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2];
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        double hits = results.stream().skip(WARMUP).mapToInt(List::size).average().orElse(0);
        return new Row(n, method, query, p50, p99, 1e3 / mean, hits);
    }

    /** Markdown tables: the setup per size, then the latencies. */
    public static String table(Result result) {
        StringBuilder sb = new StringBuilder();
        sb.append("| codes | texts | index s | disk bytes/code | open s (Lucene + checksums / codes / tables) | durable bytes/code in memory | in-memory MIH bytes/code | in-memory MIH build s |\n");
        sb.append("|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (Setup s : result.setups()) {
            sb.append(String.format(Locale.ROOT, "| %,d | %,d | %s | %.1f | %.2f (%.2f / %.2f / %.2f) | %.1f | %.1f | %.2f |%n", s.codes(), s.texts(),
                    s.indexSeconds() == 0 ? "reused" : String.format(Locale.ROOT, "%.0f", s.indexSeconds()), (double) s.diskBytes() / s.codes(),
                    s.openSeconds(), s.luceneOpenSeconds(), s.loadSeconds(), s.buildSeconds(), (double) s.durableBytes() / s.codes(),
                    (double) s.inMemoryBytes() / s.codes(), s.inMemoryBuildSeconds()));
        }
        sb.append('\n');
        for (Setup s : result.setups()) {
            sb.append(String.format(Locale.ROOT, "- %,d codes, durable (sentences): %s%n- %,d codes, in-memory: %s%n", s.codes(), s.durableLayout(), s.codes(),
                    s.inMemoryLayout()));
        }
        sb.append('\n');
        sb.append("| codes | query | method | p50 ms | p99 ms | queries/s | mean hits | p50 vs scan |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : result.rows()) {
            double scan = result.rows().stream().filter(o -> o.codes() == r.codes() && o.query().equals(r.query()) && o.method().equals("linear scan"))
                    .mapToDouble(Row::p50Ms).findFirst().orElse(Double.NaN);
            sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %.3f | %.3f | %,.0f | %.1f | %.1fx |%n", r.codes(), r.query(), r.method(), r.p50Ms(), r.p99Ms(),
                    r.qps(), r.meanHits(), scan / r.p50Ms()));
        }
        return sb.toString();
    }
}
