import io.latentnlp.index.HashIndex;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.models.hash.SemanticHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a refresh after a small commit costs on a large index, and query latency: run by
 * scripts/bench-segment-refresh.sh against two builds of the index module (the source is compiled
 * against each; LEVEL is replaced by the build's spelling of the sentence level). Public API only.
 *
 * <p>Args: DIR CODES ADDED ROUNDS QUERIES SEED. Writes CODES clustered 64-bit sentence codes (texts of
 * 10 sentences, n/1000 centres, bit-flip rate 0.08) into DIR, commits, builds the search
 * structures (timed), measures 10-NN latency at the sentence level; then ROUNDS times adds ADDED
 * codes, commits and times the first search after the commit (refresh + structures); measures
 * latency again (each latency after 5,000 warm-up queries).
 */
public final class SegmentRefreshBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int added = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int queries = Integer.parseInt(args[4]);
        SplittableRandom rng = new SplittableRandom(Long.parseLong(args[5]));
        int bits = 64;
        long[] centres = new long[Math.max(1, n / 1000)];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = rng.nextLong();
        }
        IndexIdentity identity = new IndexIdentity("bench-model", "ab".repeat(32), "posterior-mode", bits);
        if (Files.exists(dir)) {
            throw new IllegalStateException(dir + " exists; give a new directory");
        }
        try (HashIndex index = HashIndex.openForWriting(dir, identity, 0)) {
            long t0 = System.nanoTime();
            int texts = add(index, 0, n, centres, rng);
            index.commit();
            System.err.printf("indexed %d codes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            HashIndex.SearchStructures st = index.searchStructures();
            double full = (System.nanoTime() - t1) / 1e9;
            System.out.printf("segments %d; full build (first search of the index): %.3f s wall, %.3f s CPU (all threads)%n", index.stats().segments(), full,
                    (cpuNanos() - c1) / 1e9);
            System.out.printf("10-NN latency before adds: %s%n", latency(index, queries, centres, rng));
            double[] refresh = new double[rounds];
            double[] refreshCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                texts += add(index, texts, added, centres, rng);
                index.commit();
                long t = System.nanoTime();
                long c = cpuNanos();
                index.knn(LEVEL, query(centres, rng), 10, null);
                refresh[r] = (System.nanoTime() - t) / 1e6;
                refreshCpu[r] = (cpuNanos() - c) / 1e6;
            }
            Arrays.sort(refresh);
            Arrays.sort(refreshCpu);
            System.out.printf("first search after adding %d codes and committing (refresh + structures + query), %d rounds: median %.1f ms wall"
                    + " (min %.1f, max %.1f), median %.1f ms CPU; segments now %d%n", added, rounds, refresh[rounds / 2], refresh[0], refresh[rounds - 1],
                    refreshCpu[rounds / 2], index.stats().segments());
            System.out.printf("10-NN latency after adds: %s%n", latency(index, queries, centres, rng));
        }
    }

    /** CPU time of the whole process (every thread, the parallel builds included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int add(HashIndex index, int firstText, int codes, long[] centres, SplittableRandom rng) throws Exception {
        int texts = 0;
        for (int done = 0; done < codes; texts++) {
            int k = Math.min(10, codes - done);
            List<HashIndex.Sentence> sentences = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < k; i++) {
                int begin = text.length();
                text.append("s").append(i).append(' ');
                sentences.add(new HashIndex.Sentence(begin, text.length(), SemanticHash.fromWords(new long[] {near(centres, rng)}, 64), null));
            }
            index.add(new HashIndex.Text(String.format("t%09d", firstText + texts), text.toString(), sentences.get(0).hash(), null, sentences));
            done += k;
        }
        return texts;
    }

    private static long near(long[] centres, SplittableRandom rng) {
        long c = centres[rng.nextInt(centres.length)];
        for (int b = 0; b < 64; b++) {
            if (rng.nextDouble() < 0.08) {
                c ^= 1L << b;
            }
        }
        return c;
    }

    private static SemanticHash query(long[] centres, SplittableRandom rng) {
        return SemanticHash.fromWords(new long[] {near(centres, rng)}, 64);
    }

    private static String latency(HashIndex index, int queries, long[] centres, SplittableRandom rng) throws Exception {
        for (int i = 0; i < Math.min(5000, queries); i++) { // warm-up: the JIT compiles the search path
            index.knn(LEVEL, query(centres, rng), 10, null);
        }
        double[] ms = new double[queries];
        for (int i = 0; i < queries; i++) {
            SemanticHash q = query(centres, rng);
            long t = System.nanoTime();
            index.knn(LEVEL, q, 10, null);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return String.format("p50 %.3f ms, p90 %.3f ms over %d queries (one thread)", ms[queries / 2], ms[queries * 9 / 10], queries);
    }
}
