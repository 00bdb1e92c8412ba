package io.latentnlp.index;

import java.util.SplittableRandom;

/** Random code sets for tests and benchmarks. */
final class CodeFixtures {

    private CodeFixtures() {}

    static long[] uniform(int bits, SplittableRandom rng) {
        long[] w = new long[(bits + 63) / 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextLong();
        }
        int rest = bits % 64;
        if (rest != 0) {
            w[w.length - 1] &= -1L << (64 - rest);
        }
        return w;
    }

    /** A copy of {@code center} with each bit flipped with probability {@code p}. */
    static long[] near(long[] center, int bits, double p, SplittableRandom rng) {
        long[] w = center.clone();
        for (int i = 0; i < bits; i++) {
            if (rng.nextDouble() < p) {
                w[i >>> 6] ^= 1L << (63 - (i & 63));
            }
        }
        return w;
    }

    /** n codes: uniform, or around {@code clusters} random centres with bit-flip rate p. */
    static PackedCodes codes(int n, int bits, int clusters, double p, boolean latents, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[][] centers = new long[Math.max(1, clusters)][];
        for (int c = 0; c < centers.length; c++) {
            centers[c] = uniform(bits, rng);
        }
        PackedCodes codes = new PackedCodes(bits, n);
        for (int i = 0; i < n; i++) {
            long[] code = clusters == 0 ? uniform(bits, rng) : near(centers[rng.nextInt(clusters)], bits, p, rng);
            codes.add(code, latents ? latent(rng) : null);
        }
        return codes;
    }

    static float[] latent(SplittableRandom rng) {
        float[] v = new float[4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
