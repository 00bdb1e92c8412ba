package io.latentnlp.models.hash;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.latent.BernoulliPosterior;
import io.latentnlp.models.latent.CategoricalPosterior;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;

/**
 * Turns posteriors into {@link SemanticHash}es under a bundle's {@link Manifest.Hash} spec, and
 * checks that a spec fits a latent. Stateless.
 */
public final class LatentHasher {

    private LatentHasher() {}

    /**
     * The spec a discrete latent hashes with: {@link Manifest.Hash#POSTERIOR_MODE} for Bernoulli,
     * {@link Manifest.Hash#ARGMAX_PACKED} for categorical (K must be a power of two).
     *
     * @throws IllegalArgumentException for Gaussian latents (their spec needs training-set
     *     medians) and for categorical latents whose K is not a power of two
     */
    public static Manifest.Hash discreteSpec(Manifest.Latent latent) {
        return switch (latent.type()) {
            case BERNOULLI -> new Manifest.Hash(Manifest.Hash.POSTERIOR_MODE, latent.dim(), null);
            case CATEGORICAL -> new Manifest.Hash(Manifest.Hash.ARGMAX_PACKED, latent.dim() * bitsPerGroup(latent.categories()), null);
            default -> throw new IllegalArgumentException("a " + latent.type().label() + " latent has no threshold-free hash spec");
        };
    }

    /** log2 K, the bits one categorical group takes in a packed hash. */
    public static int bitsPerGroup(int categories) {
        if (categories < 2 || Integer.bitCount(categories) != 1) {
            throw new IllegalArgumentException("categorical hashes pack argmax classes in bits: categories must be a power of two >= 2, not " + categories);
        }
        return Integer.numberOfTrailingZeros(categories);
    }

    /** Why {@code spec} does not fit {@code latent}, or null when it does. */
    public static String mismatch(Manifest.Hash spec, Manifest.Latent latent) {
        String method = spec.method();
        if (Manifest.Hash.ITQ.equals(method)) {
            int c = latent.codeDim();
            if (spec.bits() < 1 || spec.bits() > c || spec.center() == null || spec.center().length != c || spec.projection() == null
                    || spec.projection().length != (long) c * spec.bits()) {
                return "itq hash spec with " + spec.bits() + " bits needs a center of " + c + " and a projection of " + c + " x bits entries (1 <= bits <= "
                        + c + "), got " + (spec.center() == null ? "no" : spec.center().length) + " and "
                        + (spec.projection() == null ? "no" : spec.projection().length);
            }
            return null;
        }
        if (Manifest.Hash.MEDIAN_THRESHOLD.equals(method)) {
            if (latent.type() != LatentType.GAUSSIAN) {
                return "hash method " + method + " needs a gaussian latent, not " + latent.type().label();
            }
            if (spec.thresholds() == null || spec.thresholds().length != spec.bits() || spec.bits() != latent.dim()) {
                return "hash spec has " + spec.bits() + " bits and " + (spec.thresholds() == null ? "no" : String.valueOf(spec.thresholds().length))
                        + " thresholds for a latent of " + latent.dim();
            }
            return null;
        }
        if (Manifest.Hash.POSTERIOR_MODE.equals(method) || Manifest.Hash.ARGMAX_PACKED.equals(method)) {
            Manifest.Hash expected;
            try {
                expected = discreteSpec(latent);
            } catch (IllegalArgumentException e) {
                return "hash method " + method + ": " + e.getMessage();
            }
            if (!expected.method().equals(method) || expected.bits() != spec.bits()) {
                return "hash spec " + method + " with " + spec.bits() + " bits does not fit a " + latent.type().label() + " latent of " + latent.dim()
                        + " (expected " + expected.method() + " with " + expected.bits() + " bits)";
            }
            return null;
        }
        return "unknown hash method '" + method + "' (known: " + Manifest.Hash.MEDIAN_THRESHOLD + ", " + Manifest.Hash.POSTERIOR_MODE + ", "
                + Manifest.Hash.ARGMAX_PACKED + ", " + Manifest.Hash.ITQ + ")";
    }

    /** The hash of one posterior under {@code spec} (which must fit the posterior's latent). */
    public static SemanticHash hash(Manifest.Hash spec, Posterior q) {
        boolean[] bits = new boolean[spec.bits()];
        switch (spec.method()) {
            case Manifest.Hash.MEDIAN_THRESHOLD -> {
                float[] mean = ((GaussianPosterior) q).mean();
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = mean[i] > spec.thresholds()[i];
                }
            }
            case Manifest.Hash.POSTERIOR_MODE -> {
                float[] logits = ((BernoulliPosterior) q).logits();
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = logits[i] >= 0;
                }
            }
            case Manifest.Hash.ARGMAX_PACKED -> {
                CategoricalPosterior c = (CategoricalPosterior) q;
                int per = bitsPerGroup(c.categories());
                int[] a = c.argmax();
                for (int g = 0; g < a.length; g++) {
                    for (int j = 0; j < per; j++) {
                        bits[g * per + j] = ((a[g] >>> (per - 1 - j)) & 1) == 1;
                    }
                }
            }
            case Manifest.Hash.ITQ -> {
                float[] x = q.expectation();
                int c = x.length;
                for (int b = 0; b < bits.length; b++) {
                    double s = 0;
                    for (int j = 0; j < c; j++) {
                        s += (x[j] - spec.center()[j]) * spec.projection()[j * bits.length + b];
                    }
                    bits[b] = s >= 0;
                }
            }
            default -> throw new IllegalArgumentException("unknown hash method " + spec.method());
        }
        return SemanticHash.fromBits(bits);
    }
}
