package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.bundle.ShippedModels;
import java.util.List;
import java.util.Properties;

/**
 * The {@code <name>.*} properties of {@link VaeAnnotator}, parsed once. An unknown key under the
 * prefix or a bad value is an error naming it.
 *
 * @param model a shipped model's name or a bundle path ({@code <name>.model}); null = {@link
 *     ShippedModels#DEFAULT}
 * @param iwaeSamples K of the IWAE estimate of log p(x), 0 = off ({@code <name>.iwae.samples})
 * @param batchSize sentences per ONNX Runtime call ({@code <name>.batchSize}), applied per call:
 *     annotators with different batch sizes share one loaded model
 * @param threads ONNX Runtime intra-op threads ({@code <name>.nthreads}); a session's thread count
 *     is fixed when it is created, so this applies only to the annotator that first loads a bundle
 *     (capped at the available processors), and others naming the bundle share that model
 * @param maxLength tokens read per sentence, 0 = the bundle's ({@code <name>.maxLength})
 * @param seed IWAE noise seed ({@code <name>.seed})
 */
public record VaeAnnotatorConfig(String model, int iwaeSamples, int batchSize, int threads, int maxLength, long seed) {

    /** The keys under the annotator's prefix. */
    public static final List<String> KEYS = List.of("model", "iwae.samples", "batchSize", "nthreads", "maxLength", "seed");

    /** Parses the properties under {@code name + "."}. */
    public static VaeAnnotatorConfig parse(String name, Properties props) {
        String prefix = name + ".";
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(prefix) && !KEYS.contains(key.substring(prefix.length()))) {
                throw new IllegalArgumentException("unknown property " + key + " (known: " + String.join(", ", KEYS.stream().map(k -> prefix + k).toList()) + ")");
            }
        }
        String model = props.getProperty(prefix + "model");
        return new VaeAnnotatorConfig(model == null || model.isBlank() ? null : model.trim(),
                integer(props, prefix + "iwae.samples", 0, 0),
                integer(props, prefix + "batchSize", 64, 1),
                integer(props, prefix + "nthreads", 1, 1),
                integer(props, prefix + "maxLength", 0, 0),
                longValue(props, prefix + "seed", 42));
    }

    private static int integer(Properties props, String key, int defaultValue, int min) {
        String v = props.getProperty(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) {
                throw new IllegalArgumentException("illegal value '" + v + "' for " + key + ": must be at least " + min);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("illegal value '" + v + "' for " + key + ": not an integer", e);
        }
    }

    private static long longValue(Properties props, String key, long defaultValue) {
        String v = props.getProperty(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("illegal value '" + v + "' for " + key + ": not an integer", e);
        }
    }
}
