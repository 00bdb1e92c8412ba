package io.latentnlp.spark;

import io.latentnlp.models.bundle.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where a task finds the model bundle the Transformer names: a shipped model's name, a path
 * readable on the executor (a shared file system, or the same path on every node), or the name of
 * a file shipped with {@code spark-submit --files} / {@code SparkContext.addFile} (looked up with
 * {@link SparkFiles#get}), in that order.
 */
final class BundleLocation {

    private BundleLocation() {}

    /**
     * The reference as {@link ShippedModels#resolve} takes it on this JVM.
     *
     * @throws IllegalArgumentException naming the reference and every place looked at
     */
    static String locate(String ref) {
        if (ref == null || ref.isBlank() || ShippedModels.isShipped(ref)) {
            return ref;
        }
        String r = ref.trim();
        if (Files.exists(Path.of(r))) {
            return r;
        }
        String shipped;
        try {
            shipped = SparkFiles.get(r);
        } catch (RuntimeException e) {
            shipped = null; // no SparkEnv on this JVM: not inside a Spark application
        }
        if (shipped != null && Files.exists(Path.of(shipped))) {
            return shipped;
        }
        throw new IllegalArgumentException("model '" + r + "' not found: not a shipped model (" + String.join(", ", ShippedModels.NAMES)
                + "), no such path on this executor, and no such file shipped with --files or SparkContext.addFile"
                + (shipped == null ? "" : " (looked at " + shipped + ")") + "; ship the bundle with --files M.vae and set model to M.vae");
    }
}
