package io.latentnlp.models.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundles shipped in this jar (model card: docs/models.md), and
 * the one rule every surface uses to turn a model reference into a bundle: no reference means
 * {@link #DEFAULT}, a shipped name ({@link #NAMES}) is read from the classpath, anything else is a
 * path to a {@code .vae} file or a bundle directory.
 *
 * <p>The shipped bundles are resources under {@code io/latentnlp/models/shipped/}; a name that is
 * also an existing file or directory still means the shipped bundle (use {@code ./name} for the
 * file). Stateless and thread-safe; every call reads and verifies the bundle again, so callers that
 * load often should keep the result.
 */
public final class ShippedModels {

    /**
     * The semantic default: the pretrained encoder family (all-MiniLM-L6-v2 and a trained head), a
     * 64-dimensional Gaussian latent, 64-bit ITQ hash; trained on Brown and Debian synopses.
     */
    public static final String MINILM_GAUSSIAN_64 = ShippedResources.MINILM_GAUSSIAN_64;
    /**
     * The default's codes from a fast LSTM encoder distilled from it (a third of the default's cost
     * per sentence, no backbone at run time); it reads the default's decoders, vocabulary and
     * segmenter from {@link #MINILM_GAUSSIAN_64} (bundle format 3).
     */
    public static final String MINILM_LSTM_64 = ShippedResources.MINILM_LSTM_64;
    /** The 64-bit Bernoulli VAE with an LSTM encoder, trained on Brown (the default before 0.2). */
    public static final String BERNOULLI_64 = ShippedResources.BERNOULLI_64;
    /** The 32-dimensional Gaussian VAE with an LSTM encoder, trained on Brown. */
    public static final String GAUSSIAN_32 = ShippedResources.GAUSSIAN_32;
    /** The bundle used when no model is named. */
    public static final String DEFAULT = MINILM_GAUSSIAN_64;
    /** Every shipped bundle name. */
    public static final List<String> NAMES = ShippedResources.NAMES;

    private ShippedModels() {}

    /** Whether {@code ref} names a shipped bundle. */
    public static boolean isShipped(String ref) {
        return ShippedResources.isShipped(ref);
    }

    /**
     * The bundle a reference means: null or blank = {@link #DEFAULT}, a shipped name = that bundle
     * from the classpath, otherwise a path.
     *
     * @throws BundleException naming the reference when it cannot be loaded
     */
    public static ModelBundle resolve(String ref) {
        if (ref == null || ref.isBlank()) {
            return load(DEFAULT);
        }
        String r = ref.trim();
        if (isShipped(r)) {
            return load(r);
        }
        return ModelBundle.load(existing(r));
    }

    /**
     * A stable identity of the bundle a reference means, for caches: {@code shipped:NAME} or the
     * real path of a file.
     *
     * @throws BundleException when a path does not exist or cannot be read
     */
    public static String identity(String ref) {
        if (ref == null || ref.isBlank()) {
            return "shipped:" + DEFAULT;
        }
        String r = ref.trim();
        if (isShipped(r)) {
            return "shipped:" + r;
        }
        try {
            return existing(r).toRealPath().toString();
        } catch (IOException e) {
            throw new BundleException("cannot read model " + r + ": " + e.getMessage(), e);
        }
    }

    private static Path existing(String ref) {
        Path path = Path.of(ref);
        if (!Files.exists(path)) {
            throw new BundleException("model not found: " + ref + " (give a .vae file, a bundle directory, or a shipped model: " + String.join(", ", NAMES) + ")");
        }
        return path;
    }

    /**
     * A shipped bundle from the classpath.
     *
     * @throws IllegalArgumentException if {@code name} is not a shipped bundle
     * @throws BundleException if the resource is missing or corrupt
     */
    public static ModelBundle load(String name) {
        if (!isShipped(name)) {
            throw new IllegalArgumentException("no shipped model named " + name + " (shipped: " + String.join(", ", NAMES) + ")");
        }
        return ModelBundle.shipped(name);
    }
}
