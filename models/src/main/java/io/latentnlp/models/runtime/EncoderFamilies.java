package io.latentnlp.models.runtime;

import io.latentnlp.models.bundle.BundleException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of {@link EncoderFamily} providers, found on the classpath with {@link
 * ServiceLoader} when first asked. Thread-safe.
 */
public final class EncoderFamilies {

    private static volatile Map<String, EncoderFamily> families;

    private EncoderFamilies() {}

    /**
     * The family a manifest names.
     *
     * @throws BundleException for an unknown name, listing the known ones
     */
    public static EncoderFamily forName(String name) {
        EncoderFamily f = all().get(name);
        if (f == null) {
            throw new BundleException("unknown encoder family '" + name + "' (known: " + String.join(", ", all().keySet())
                    + "); a bundle of another family needs that family's provider on the classpath");
        }
        return f;
    }

    /** The names of every family on the classpath, sorted. */
    public static java.util.Set<String> names() {
        return all().keySet();
    }

    private static Map<String, EncoderFamily> all() {
        Map<String, EncoderFamily> m = families;
        if (m == null) {
            synchronized (EncoderFamilies.class) {
                m = families;
                if (m == null) {
                    Map<String, EncoderFamily> found = new TreeMap<>();
                    for (EncoderFamily f : ServiceLoader.load(EncoderFamily.class, EncoderFamilies.class.getClassLoader())) {
                        EncoderFamily before = found.putIfAbsent(f.name(), f);
                        if (before != null && before.getClass() != f.getClass()) {
                            throw new IllegalStateException("two encoder families are named '" + f.name() + "': " + before.getClass().getName() + " and "
                                    + f.getClass().getName());
                        }
                    }
                    families = m = java.util.Collections.unmodifiableMap(found);
                }
            }
        }
        return m;
    }
}
