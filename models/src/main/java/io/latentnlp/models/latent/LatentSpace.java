package io.latentnlp.models.latent;

import io.latentnlp.models.bundle.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Walks in a model's latent space for generation: codes drawn from the prior, paths between two
 * posteriors, and small perturbations of a code. Codes are what the decoder reads ({@link
 * Posterior#code()}). Stateless.
 */
public final class LatentSpace {

    private LatentSpace() {}

    /**
     * A code from the prior: N(0, I) for Gaussian latents, uniform bits for Bernoulli, a uniform
     * class per group (one-hot) for categorical.
     */
    public static float[] samplePrior(Manifest.Latent latent, SplittableRandom rng) {
        float[] z = new float[latent.codeDim()];
        switch (latent.type()) {
            case GAUSSIAN -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) GaussianMath.gaussian(rng);
                }
            }
            case BERNOULLI -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = rng.nextBoolean() ? 1f : 0f;
                }
            }
            case CATEGORICAL -> {
                for (int g = 0; g < latent.dim(); g++) {
                    z[g * latent.categories() + rng.nextInt(latent.categories())] = 1f;
                }
            }
            case NONE -> throw new IllegalArgumentException("no latent variable");
        }
        return z;
    }

    /**
     * {@code steps} codes from a's posterior code to b's, both included: points on the line
     * between the two means (Gaussian, Bowman et al.'s homotopy), or a path that changes the
     * differing bits (Bernoulli) or groups (categorical) one after another in index order, the
     * i-th point having changed round(i / (steps - 1) * differing) of them.
     */
    public static List<float[]> interpolate(Posterior a, Posterior b, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("illegal number of steps " + steps + ": an interpolation needs at least 2 points");
        }
        if (a.type() != b.type() || a.codeDim() != b.codeDim()) {
            throw new IllegalArgumentException("cannot interpolate between a " + a.type() + " and a " + b.type() + " posterior");
        }
        float[] za = a.code();
        float[] zb = b.code();
        List<float[]> out = new ArrayList<>(steps);
        if (a.type() == LatentType.GAUSSIAN) {
            for (int i = 0; i < steps; i++) {
                double t = i / (double) (steps - 1);
                float[] z = new float[za.length];
                for (int k = 0; k < z.length; k++) {
                    z[k] = (float) ((1 - t) * za[k] + t * zb[k]);
                }
                out.add(z);
            }
            return out;
        }
        int width = a.codeDim() / a.dim(); // 1 for bits, K for groups
        List<Integer> differing = new ArrayList<>();
        for (int g = 0; g < a.dim(); g++) {
            for (int k = g * width; k < (g + 1) * width; k++) {
                if (za[k] != zb[k]) {
                    differing.add(g);
                    break;
                }
            }
        }
        for (int i = 0; i < steps; i++) {
            int changed = (int) Math.round(i / (double) (steps - 1) * differing.size());
            float[] z = za.clone();
            for (int j = 0; j < changed; j++) {
                int g = differing.get(j);
                System.arraycopy(zb, g * width, z, g * width, width);
            }
            out.add(z);
        }
        return out;
    }

    /**
     * A code near q's: mean + scale * N(0, I) for Gaussian latents; for discrete latents,
     * {@code changes} distinct bits flipped or groups moved to another class, chosen at random.
     */
    public static float[] perturb(Posterior q, double scale, int changes, SplittableRandom rng) {
        float[] z = q.code();
        if (q.type() == LatentType.GAUSSIAN) {
            for (int k = 0; k < z.length; k++) {
                z[k] += (float) (scale * GaussianMath.gaussian(rng));
            }
            return z;
        }
        int d = q.dim();
        int width = q.codeDim() / d;
        if (changes < 0 || changes > d) {
            throw new IllegalArgumentException("illegal number of changes " + changes + ": must be in [0, " + d + "]");
        }
        int[] order = new int[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        for (int i = 0; i < changes; i++) {
            int j = i + rng.nextInt(d - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            int g = order[i];
            if (width == 1) {
                z[g] = 1f - z[g];
            } else {
                int current = 0;
                for (int k = 0; k < width; k++) {
                    if (z[g * width + k] > 0.5f) {
                        current = k;
                    }
                    z[g * width + k] = 0f;
                }
                int next = (current + 1 + rng.nextInt(width - 1)) % width;
                z[g * width + next] = 1f;
            }
        }
        return z;
    }

    /** Cosine similarity of two latent vectors, or NaN when either is absent or zero. */
    public static double cosine(float[] a, float[] b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("latent of " + a.length + " dimensions compared with one of " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / Math.sqrt(na * nb);
    }
}
