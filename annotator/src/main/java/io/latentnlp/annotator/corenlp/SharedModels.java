package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.BundleException;
import io.latentnlp.models.SentenceVae;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One loaded model per bundle and thread setting, shared by every annotator (and so every
 * pipeline and server thread) that names it, reference-counted and closed when the last user
 * unmounts. Thread-safe.
 */
final class SharedModels {

    private record Key(Path path, int threads, int batchSize) {}

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
     * @param property the property that named the path (for error messages)
     */
    static synchronized SentenceVae acquire(Path bundle, int threads, int batchSize, String property) {
        if (!Files.exists(bundle)) {
            throw new IllegalArgumentException(property + " = " + bundle + ": no such file or directory");
        }
        Path real;
        try {
            real = bundle.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(property + " = " + bundle + ": cannot be read: " + e.getMessage(), e);
        }
        Key key = new Key(real, threads, batchSize);
        Entry e = MODELS.get(key);
        if (e == null) {
            try {
                e = new Entry(SentenceVae.load(real, new SentenceVae.Options(threads, batchSize)));
            } catch (BundleException ex) {
                throw new IllegalArgumentException(property + " = " + bundle + ": " + ex.getMessage(), ex);
            }
            MODELS.put(key, e);
        }
        e.users++;
        return e.model;
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

    /** Users of the model loaded for a bundle path (0 when not loaded), for tests. */
    static synchronized int users(Path bundle) throws IOException {
        Path real = bundle.toRealPath();
        return MODELS.entrySet().stream().filter(e -> e.getKey().path().equals(real)).mapToInt(e -> e.getValue().users).sum();
    }
}
