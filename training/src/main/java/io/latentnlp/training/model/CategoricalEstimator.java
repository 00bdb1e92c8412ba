package io.latentnlp.training.model;

/** How gradients reach a categorical posterior through a sampled code (lecture, "Gumbel-softmax"). */
public enum CategoricalEstimator {
    /**
     * The Gumbel-softmax relaxation (Jang et al. 2017; Maddison et al. 2017): the decoder reads
     * y = softmax((logits + g) / tau), g ~ Gumbel(0, 1), a point inside the simplex.
     */
    GUMBEL_SOFTMAX,
    /**
     * Straight-through Gumbel-softmax: the decoder reads the one-hot argmax of logits + g (a real
     * categorical sample), gradients flow as if it had read the relaxed y.
     */
    STRAIGHT_THROUGH_GUMBEL;

    /** The command-line name: {@code gumbel} or {@code st-gumbel}. */
    public String label() {
        return this == GUMBEL_SOFTMAX ? "gumbel" : "st-gumbel";
    }

    /** Parses {@link #label()}. */
    public static CategoricalEstimator parse(String s) {
        for (CategoricalEstimator e : values()) {
            if (e.label().equals(s) || e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown categorical estimator '" + s + "': use gumbel or st-gumbel");
    }
}
