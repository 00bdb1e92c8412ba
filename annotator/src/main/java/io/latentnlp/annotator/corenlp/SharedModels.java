package io.latentnlp.annotator.corenlp;

import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per bundle, shared by every annotator (and so every pipeline and server
 * request) that names it, reference-counted and closed when the last user unmounts. Thread-safe.
 *
 * <p>The key is the bundle alone: CoreNLP builds an annotator per distinct property set (the
 * server, per distinct request properties, and keeps them), so options in the key would load a
 * model per request variant. Batch size is applied per call ({@link SentenceVae#withBatchSize}).
 * ONNX Runtime fixes a session's intra-op thread count when it is created, so the first annotator
 * that loads a bundle sets it (capped at the available processors); later annotators share that
 * model whatever they ask for, and a different request is logged.
 */
final class SharedModels {

    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);

    private static final class Entry {
        final SentenceVae model;
        final int threads;
        int users;

        Entry(SentenceVae model, int threads) {
            this.model = model;
            this.threads = threads;
        }
    }

    /** By {@link ShippedModels#identity}. */
    private static final Map<String, Entry> MODELS = new HashMap<>();
    private static int loads;

    private SharedModels() {}

    /**
     * The shared model of a bundle, loading it on first use.
     *
     * @param name the annotator's name: its properties are {@code name.model}, {@code name.nthreads}
     * @param ref a shipped model's name or a bundle path; null = {@link ShippedModels#DEFAULT}
     * @param threads ONNX Runtime intra-op threads, used only when this call loads the bundle
     */
    static synchronized SentenceVae acquire(String name, String ref, int threads) {
        String property = name + ".model";
        String shown = ref == null ? "(unset: " + ShippedModels.DEFAULT + ")" : ref;
        int capped = Math.min(threads, Runtime.getRuntime().availableProcessors());
        try {
            String identity = ShippedModels.identity(ref);
            Entry e = MODELS.get(identity);
            if (e == null) {
                e = new Entry(SentenceVae.open(ShippedModels.resolve(ref), new SentenceVae.Options(capped, SentenceVae.Options.defaults().batchSize())), capped);
                MODELS.put(identity, e);
                loads++;
                LOG.info("{} = {}: loaded {} with {} ONNX Runtime threads, shared by every annotator naming it", property, shown, e.model.bundle().source(),
                        capped);
            } else if (e.threads != capped) {
                LOG.info("{} = {}: already loaded with {} ONNX Runtime threads (fixed at first load); {}.nthreads = {} is not applied", property, shown,
                        e.threads, name, threads);
            }
            e.users++;
            return e.model;
        } catch (BundleException ex) {
            throw new IllegalArgumentException(property + " = " + shown + ": " + ex.getMessage(), ex);
        }
    }

    /** Gives a model back; the last user's release closes it (after the calls in flight). */
    static void release(SentenceVae model) {
        synchronized (SharedModels.class) {
            Map.Entry<String, Entry> found = MODELS.entrySet().stream().filter(e -> e.getValue().model == model).findFirst().orElse(null);
            if (found == null || --found.getValue().users > 0) {
                return;
            }
            MODELS.remove(found.getKey());
        }
        // outside the lock: closing waits for calls in flight, which must not stall other acquires
        model.close();
    }

    /** Users of the model loaded for a reference (0 when not loaded), for tests. */
    static synchronized int users(String ref) {
        Entry e = MODELS.get(ShippedModels.identity(ref));
        return e == null ? 0 : e.users;
    }

    /** Models loaded since the class was initialized (loads, not those open now), for tests. */
    static synchronized int loads() {
        return loads;
    }
}
