package io.latentnlp.annotator.opennlp;

import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.ShippedModels;
import java.nio.file.Path;

/**
 * A sentence VAE model bundle loaded for OpenNLP-style use, as {@code TokenizerModel} is for
 * {@code TokenizerME}: load once, share between {@link SentenceVaeME} instances and threads,
 * close when done (it holds ONNX Runtime sessions). Thread-safe.
 */
public final class SentenceVaeModel implements AutoCloseable {

    private final SentenceVae vae;

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

    @Override
    public void close() {
        vae.close();
    }
}
