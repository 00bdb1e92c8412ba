package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.BundleException;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.ShippedModels;
import java.util.HashMap;
import java.util.Map;

/**
 * One loaded model per bundle and thread setting, shared by every annotator (and so every
 * pipeline and server thread) that names it, reference-counted and closed when the last user
 * unmounts. Thread-safe.
 */
final class SharedModels {

    private record Key(String identity, int threads, int batchSize) {}

    private static final class Entry {
        final SentenceVae model;
        int users;

        Entry(SentenceVae model) {
            this.model = model;
        }
    }

    private static final Map<Key, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /**
     * The shared model of a bundle, loading it on first use.
     *
     * @param ref a shipped model's name or a bundle path; null = {@link ShippedModels#DEFAULT}
     * @param property the property that named it (for error messages)
     */
    static synchronized SentenceVae acquire(String ref, int threads, int batchSize, String property) {
        String shown = ref == null ? "(unset: " + ShippedModels.DEFAULT + ")" : ref;
        try {
            Key key = new Key(ShippedModels.identity(ref), threads, batchSize);
            Entry e = MODELS.get(key);
            if (e == null) {
                e = new Entry(SentenceVae.open(ShippedModels.resolve(ref), new SentenceVae.Options(threads, batchSize)));
                MODELS.put(key, e);
            }
            e.users++;
            return e.model;
        } catch (BundleException ex) {
            throw new IllegalArgumentException(property + " = " + shown + ": " + ex.getMessage(), ex);
        }
    }

    /** Gives a model back; the last user's release closes it. */
    static synchronized void release(SentenceVae model) {
        for (Map.Entry<Key, Entry> e : MODELS.entrySet()) {
            if (e.getValue().model == model) {
                if (--e.getValue().users == 0) {
                    MODELS.remove(e.getKey());
                    model.close();
                }
                return;
            }
        }
    }

    /** Users of the model loaded for a reference (0 when not loaded), for tests. */
    static synchronized int users(String ref) {
        String identity = ShippedModels.identity(ref);
        return MODELS.entrySet().stream().filter(e -> e.getKey().identity().equals(identity)).mapToInt(e -> e.getValue().users).sum();
    }
}
