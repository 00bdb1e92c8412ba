package io.latentnlp.index.bench;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.LinearScan;
import io.latentnlp.index.MultiIndexHash;
import io.latentnlp.index.Neighbor;
import io.latentnlp.index.PackedCodes;
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

/**
 * Exact Hamming k-NN: in-memory multi-index hashing against the linear scan, on the same codes and
 * queries in the same run, plus the machine's memory read bandwidth (so the scan's speed can be
 * put in proportion) and, optionally, a Lucene index of the same codes (build time, bytes on
 * disk, search latency). Single-threaded measurements. Every MIH result is checked against the
 * scan's. Not a test: numbers depend on the machine.
 */
public final class HammingBenchmark {

    /** One measured configuration. */
    public record Row(String data, long codes, int bits, String method, double p50Ms, double p99Ms, double qps, double buildSeconds,
            double bytesPerCodeMemory, double bytesPerCodeDisk, double scanCodesPerSecond) {}

    /**
     * @param sizes numbers of codes
     * @param queries queries per configuration (after warm-up)
     * @param luceneMax build a Lucene index for sizes up to this many codes (0 = never)
     */
    public record Settings(List<Long> sizes, int bits, int k, int queries, long luceneMax, Path scratch, long seed) {}

    private HammingBenchmark() {}

    /** Sequential read bandwidth of one core, bytes/s: the best of 5 sums over a 512 MB array. */
    public static double readBandwidth() {
        long[] a = new long[64 << 20];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0x9E3779B97F4A7C15L;
        }
        double best = 0;
        long sink = 0;
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime();
            long s = 0;
            for (long v : a) {
                s += v;
            }
            double secs = (System.nanoTime() - t) / 1e9;
            sink += s;
            best = Math.max(best, a.length * 8.0 / secs);
        }
        if (sink == 42) {
            System.err.print("");
        }
        return best;
    }

    public static List<Row> run(Settings settings, PrintStream log) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (long n : settings.sizes()) {
            for (String data : List.of("uniform", "clustered")) {
                log.printf(Locale.ROOT, "%s %,d codes of %d bits ...%n", data, n, settings.bits());
                SplittableRandom rng = new SplittableRandom(settings.seed() ^ n ^ data.hashCode());
                PackedCodes codes = generate(data, (int) n, settings.bits(), rng);
                long[][] queries = new long[settings.queries() + 50][];
                for (int q = 0; q < queries.length; q++) {
                    // queries: perturbed database codes (their neighbourhoods are what users ask about)
                    queries[q] = flip(codes.code(rng.nextInt(codes.size())), settings.bits(), data.equals("uniform") ? 0.1 : 0.05, rng);
                }
                LinearScan scan = new LinearScan(codes);
                long t = System.nanoTime();
                MultiIndexHash mih = new MultiIndexHash(codes);
                double build = (System.nanoTime() - t) / 1e9;
                double[] scanMs = time(q -> scan.knn(q, settings.k(), null), queries);
                List<List<Neighbor>> expected = new ArrayList<>();
                for (long[] q : queries) {
                    expected.add(scan.knn(q, settings.k(), null));
                }
                double[] mihMs = time(q -> mih.knn(q, settings.k(), null), queries);
                for (int q = 0; q < queries.length; q++) {
                    if (!mih.knn(queries[q], settings.k(), null).equals(expected.get(q))) {
                        throw new IllegalStateException("MIH and linear scan disagree on query " + q + ": this is a bug");
                    }
                }
                double codeBytes = (double) codes.codeBytes() / n;
                rows.add(row(data, n, settings.bits(), "linear scan", scanMs, 0, codeBytes, Double.NaN, n));
                rows.add(row(data, n, settings.bits(), "MIH (m=" + mih.layout().substrings() + ", in memory)", mihMs, build,
                        codeBytes + (double) mih.tableBytes() / n, Double.NaN, Double.NaN));
                if (n <= settings.luceneMax()) {
                    rows.add(lucene(data, codes, queries, expected, settings, log));
                }
            }
        }
        return rows;
    }

    private static Row lucene(String data, PackedCodes codes, long[][] queries, List<List<Neighbor>> expected, Settings settings, PrintStream log)
            throws IOException {
        Path dir = Files.createTempDirectory(settings.scratch(), "hamming-bench");
        int bits = settings.bits();
        IndexIdentity identity = new IndexIdentity("bench", "00".repeat(32), "posterior-mode", bits);
        long t = System.nanoTime();
        try (HashIndex index = HashIndex.openForWriting(dir, identity, 0)) {
            for (int i = 0; i < codes.size(); i++) {
                index.add(new HashIndex.Text(String.format("%09d", i), "", SemanticHash.fromWords(codes.code(i), bits), null, List.of()));
                if (i % 1_000_000 == 999_999) {
                    log.printf(Locale.ROOT, "  lucene: %,d codes indexed%n", i + 1);
                }
            }
            index.commit();
            double build = (System.nanoTime() - t) / 1e9;
            double[] ms = new double[queries.length];
            for (int q = 0; q < queries.length; q++) {
                long s = System.nanoTime();
                List<Hit> hits = index.knn(Level.DOCUMENT, SemanticHash.fromWords(queries[q], bits), settings.k(), null);
                ms[q] = (System.nanoTime() - s) / 1e6;
                List<Integer> got = hits.stream().map(h -> h.distance()).toList();
                List<Integer> want = expected.get(q).stream().map(Neighbor::distance).toList();
                if (!got.equals(want)) {
                    throw new IllegalStateException("Lucene MIH and linear scan disagree on query " + q + ": " + got + " vs " + want);
                }
            }
            HashIndex.Stats stats = index.stats();
            return row(data, codes.size(), bits, "durable index (Lucene, MIH in memory)", Arrays.copyOfRange(ms, 50, ms.length),
                    build, Double.NaN, (double) stats.bytesOnDisk() / codes.size(), Double.NaN);
        } finally {
            deleteTree(dir);
        }
    }

    private static Row row(String data, long n, int bits, String method, double[] ms, double build, double memBytes, double diskBytes, double scanned) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2];
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        double codesPerSecond = Double.isNaN(scanned) ? Double.NaN : scanned / (mean / 1e3);
        return new Row(data, n, bits, method, p50, p99, 1e3 / mean, build, memBytes, diskBytes, codesPerSecond);
    }

    /** Latency of each query in ms, after 50 warm-up queries (which are dropped). */
    private static double[] time(java.util.function.Function<long[], List<Neighbor>> search, long[][] queries) {
        double[] ms = new double[queries.length - 50];
        long sink = 0;
        for (int q = 0; q < queries.length; q++) {
            long t = System.nanoTime();
            sink += search.apply(queries[q]).size();
            if (q >= 50) {
                ms[q - 50] = (System.nanoTime() - t) / 1e6;
            }
        }
        if (sink < 0) {
            throw new AssertionError();
        }
        return ms;
    }

    static PackedCodes generate(String data, int n, int bits, SplittableRandom rng) {
        PackedCodes codes = new PackedCodes(bits, n);
        int clusters = Math.max(1, n / 1000);
        long[][] centres = new long[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = random(bits, rng);
        }
        for (int i = 0; i < n; i++) {
            codes.add(data.equals("uniform") ? random(bits, rng) : flip(centres[rng.nextInt(clusters)], bits, 0.08, rng), null);
        }
        return codes;
    }

    private static long[] random(int bits, SplittableRandom rng) {
        long[] w = new long[(bits + 63) / 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextLong();
        }
        if (bits % 64 != 0) {
            w[w.length - 1] &= -1L << (64 - bits % 64);
        }
        return w;
    }

    private static long[] flip(long[] code, int bits, double p, SplittableRandom rng) {
        long[] w = code.clone();
        for (int i = 0; i < bits; i++) {
            if (rng.nextDouble() < p) {
                w[i >>> 6] ^= 1L << (63 - (i & 63));
            }
        }
        return w;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Markdown table. */
    public static String table(List<Row> rows, double bandwidth) {
        StringBuilder sb = new StringBuilder();
        sb.append("| data | codes | method | p50 ms | p99 ms | queries/s | build s | bytes/code in memory | bytes/code on disk | scan codes/s | scan / bandwidth |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.3f | %.3f | %,.0f | %s | %s | %s | %s | %s |%n", r.data(), r.codes(), r.method(), r.p50Ms(),
                    r.p99Ms(), r.qps(), r.buildSeconds() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.buildSeconds()),
                    fmt(r.bytesPerCodeMemory()), fmt(r.bytesPerCodeDisk()),
                    Double.isNaN(r.scanCodesPerSecond()) ? "-" : String.format(Locale.ROOT, "%.2e", r.scanCodesPerSecond()),
                    Double.isNaN(r.scanCodesPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.scanCodesPerSecond() * 8 * ((r.bits() + 63) / 64) / bandwidth)));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
