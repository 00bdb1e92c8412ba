package io.latentnlp.models.hash;

import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.GaussianMath;
import java.util.SplittableRandom;

/**
 * Random-hyperplane LSH (Charikar 2002) over dense vectors: bit b is 1 when x . w_b &gt;= 0 for
 * Gaussian planes w_b drawn from the seed, so the expected Hamming distance is bits * angle / pi.
 * Immutable and thread-safe.
 */
public final class HyperplaneLsh {

    private final float[][] planes;

    public HyperplaneLsh(int dim, int bits, long seed) {
        if (dim < 1 || bits < 1) {
            throw new IllegalArgumentException("illegal LSH of " + bits + " bits over " + dim + " dimensions");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        planes = new float[dim][bits];
        for (float[] row : planes) {
            for (int b = 0; b < bits; b++) {
                row[b] = (float) GaussianMath.gaussian(rng);
            }
        }
    }

    public SemanticHash hash(float[] x) {
        return SemanticHash.fromBits(Itq.project(new float[planes.length], planes, x));
    }
}
