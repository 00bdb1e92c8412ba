package io.latentnlp.models.latent;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a master seed and a few integers (epoch, step, a
 * sentence's hash). {@code new SplittableRandom(s)} and {@code new SplittableRandom(s + k * gamma)}
 * produce overlapping sequences, so seeds are never combined linearly: every part goes through the
 * MurmurHash3 finalizer first. Stateless.
 */
public final class Seeds {

    private Seeds() {}

    /** A generator for the given parts; equal parts give equal streams, others independent ones. */
    public static SplittableRandom stream(long... parts) {
        long h = 0x243F6A8885A308D3L;
        for (long p : parts) {
            h = mix64(h ^ mix64(p));
        }
        return new SplittableRandom(h);
    }

    /** MurmurHash3's 64-bit finalizer: a bijection with full avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
