package io.latentnlp.annotator.opennlp;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.CloseGuard;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A sentence VAE model bundle loaded for OpenNLP-style use, as {@code TokenizerModel} is for
 * {@code TokenizerME}: load once, share between {@link SentenceVaeME} instances and threads,
 * close when done (it holds ONNX Runtime sessions). Thread-safe: {@link #close()} waits for the
 * {@link SentenceVaeME} calls in flight, later ones throw {@link IllegalStateException} naming the
 * bundle; idempotent.
 */
public final class SentenceVaeModel implements AutoCloseable {

    private final SentenceVae vae;
    private final CloseGuard guard;

    /** The shipped default model ({@link ShippedModels#DEFAULT}) with ONNX Runtime's default threads. */
    public SentenceVaeModel() {
        this(ShippedModels.resolve(null), SentenceVae.Options.defaults());
    }

    /** Loads a bundle (.vae file or directory) with ONNX Runtime's default threads. */
    public SentenceVaeModel(Path bundle) {
        this(bundle, SentenceVae.Options.defaults());
    }

    public SentenceVaeModel(Path bundle, SentenceVae.Options options) {
        this(ModelBundle.load(bundle), options);
    }

    public SentenceVaeModel(ModelBundle bundle, SentenceVae.Options options) {
        this.vae = SentenceVae.open(bundle, options);
        this.guard = new CloseGuard(bundle.source() + ": this SentenceVaeModel is closed");
    }

    /**
     * A shipped model by name or a bundle by path ({@link ShippedModels#resolve}; null = the
     * default).
     */
    public static SentenceVaeModel load(String ref, SentenceVae.Options options) {
        return new SentenceVaeModel(ShippedModels.resolve(ref), options);
    }

    /** The runtime model. */
    public SentenceVae runtime() {
        return vae;
    }

    public ModelBundle bundle() {
        return vae.bundle();
    }

    /** Runs a call of several model calls that {@link #close()} must not cut in two. */
    <T> T use(Supplier<T> call) {
        return guard.call(call);
    }

    /** Waits for the calls in flight, then frees the sessions. Idempotent. */
    @Override
    public void close() {
        guard.close(vae::close);
    }
}
