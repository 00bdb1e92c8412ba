package io.latentnlp.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * The shipped bundles as classpath resources: their names, and each one's zip entries unverified.
 * It sits below {@link ModelBundle}, which reads a shipped base bundle this way, and below {@link
 * ShippedModels}, which turns a model reference into a verified bundle; so the two depend one way
 * only, ShippedModels on ModelBundle. Stateless.
 */
final class ShippedResources {

    static final String MINILM_GAUSSIAN_64 = "minilm-gaussian64";
    static final String MINILM_LSTM_64 = "minilm-lstm64";
    static final String BERNOULLI_64 = "brown-bernoulli64";
    static final String GAUSSIAN_32 = "brown-gaussian32";
    static final List<String> NAMES = List.of(MINILM_GAUSSIAN_64, MINILM_LSTM_64, BERNOULLI_64, GAUSSIAN_32);

    static final String RESOURCE_DIR = "io/latentnlp/models/shipped/";

    private ShippedResources() {}

    /** Whether {@code ref} names a shipped bundle. */
    static boolean isShipped(String ref) {
        return ref != null && NAMES.contains(ref.trim());
    }

    /** How errors and {@link ModelBundle#source()} name a shipped bundle. */
    static String source(String name) {
        return "classpath:" + RESOURCE_DIR + name.trim() + ".vae";
    }

    /** The entries of a shipped bundle's zip, unverified. */
    static Map<String, byte[]> rawFiles(String name) {
        String source = source(name);
        ClassLoader loader = ShippedResources.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + name.trim() + ".vae")) {
            if (in == null) {
                throw new BundleException(source + " is not on the classpath (the latent-nlp-models jar carries the shipped bundles; was it built"
                        + " from a checkout without them?)");
            }
            return BundleFiles.DEFAULT.readZip(in, source);
        } catch (ZipException e) {
            throw new BundleException(source + " is not a readable bundle (corrupt zip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }
}
