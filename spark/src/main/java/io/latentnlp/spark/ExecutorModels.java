package io.latentnlp.spark;

import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one executor JVM: a bundle is loaded the first time a task asks for it and then
 * shared by every task of the JVM (keyed by {@link ShippedModels#identity}: the shipped name or
 * the bundle file's real path, as the CoreNLP annotator's shared models are). Nothing here is
 * serialized: tasks carry the bundle's reference, and the ONNX Runtime sessions stay in the JVM
 * that made them until it exits. ONNX Runtime fixes a session's thread count when it creates it,
 * so the first task that loads a bundle sets it. Thread-safe.
 */
public final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);

    private static final Map<String, SentenceVaeModel> MODELS = new HashMap<>();
    private static int loads;

    private ExecutorModels() {}

    /**
     * The JVM's model for a bundle reference, loading it on first use.
     *
     * @param ref a shipped name, a local path or a {@code --files} name ({@link BundleLocation})
     * @param threads ONNX Runtime intra-op threads, applied when this call loads the bundle
     * @param batchSize sentences per ONNX Runtime call, applied when this call loads the bundle
     */
    static synchronized SentenceVaeModel acquire(String ref, int threads, int batchSize) {
        String where = BundleLocation.locate(ref);
        try {
            String identity = ShippedModels.identity(where);
            SentenceVaeModel m = MODELS.get(identity);
            if (m == null) {
                long start = System.nanoTime();
                m = SentenceVaeModel.load(where, new SentenceVae.Options(threads, batchSize));
                MODELS.put(identity, m);
                loads++;
                LOG.info("loaded model {} ({}) with {} ONNX Runtime threads in {} ms, shared by this JVM's tasks", ref, identity, threads,
                        (System.nanoTime() - start) / 1_000_000);
            }
            return m;
        } catch (BundleException e) {
            throw new IllegalArgumentException("model = " + ref + ": " + e.getMessage(), e);
        }
    }

    /** Bundles loaded by this JVM so far. */
    public static synchronized int loads() {
        return loads;
    }

    /** Closes every model of this JVM (tests; executors simply exit). */
    public static synchronized void closeAll() {
        MODELS.values().forEach(SentenceVaeModel::close);
        MODELS.clear();
    }
}
