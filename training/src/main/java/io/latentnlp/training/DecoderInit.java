package io.latentnlp.training;

import ai.djl.ndarray.NDManager;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A decoder started from a trained language model (the baseline of {@link TrainConfig}, d = 0):
 * every {@code dec.*} tensor is the language model's, the input columns that read z, the map
 * from z to the initial state and (lstm-topic) the map from z to the logits are zero. A VAE
 * started this way computes exactly the language model's p(x) until training moves those
 * weights, so the latent has to earn its KL against a decoder that is already as good as the
 * baseline (the lecture's pretraining, applied to the decoder). A language model started this
 * way simply continues training.
 */
public final class DecoderInit {

    private final Path source;
    private final Map<String, float[]> lm;
    private final int embedding;

    private DecoderInit(Path source, Map<String, float[]> lm, int embedding) {
        this.source = source;
        this.lm = lm;
        this.embedding = embedding;
    }

    /**
     * Reads the best parameters of the language-model run in {@code runDir}, after checking that it
     * is a language model with the same vocabulary (same entries in the same order) and layer sizes
     * as {@code target}.
     *
     * @throws IllegalArgumentException naming the run and what differs
     */
    public static DecoderInit read(Path runDir, Vocabulary vocab, Dims target) throws IOException {
        LanguageModelRun lm = LanguageModelRun.read(runDir, "--init-decoder");
        if (!lm.vocab().tokens().equals(vocab.tokens())) {
            throw new IllegalArgumentException("--init-decoder " + runDir + ": its vocabulary (" + lm.vocab().size() + " entries) differs from this run's ("
                    + vocab.size() + "); train both with the same corpus, --units and --vocab-size");
        }
        Dims lmDims = lm.config().dims(vocab.size());
        if (lmDims.embedding() != target.embedding() || lmDims.hidden() != target.hidden() || lmDims.tied() != target.tied()) {
            throw new IllegalArgumentException(String.format("--init-decoder %s: embedding %d, hidden %d, tied %b; this run has %d, %d, %b", runDir,
                    lmDims.embedding(), lmDims.hidden(), lmDims.tied(), target.embedding(), target.hidden(), target.tied()));
        }
        try (NDManager m = NDManager.newBaseManager(); VaeParameters p = lm.load(m)) {
            return new DecoderInit(runDir, p.toFloatArrays(), lmDims.embedding());
        }
    }

    /** The language-model run this decoder comes from. */
    public Path source() {
        return source;
    }

    /** Overwrites every {@code dec.*} tensor of {@code p} (see the class comment). */
    public void apply(VaeParameters p) {
        int code = p.dims().codeDim();
        for (Map.Entry<String, ai.djl.ndarray.NDArray> e : p.all().entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("dec.")) {
                continue;
            }
            float[] values = new float[(int) e.getValue().getShape().size()];
            if (name.equals("dec.lstm.w_ih") && code > 0) {
                // [4H, E + c]: the language model's [4H, E] columns, then zeros for z.
                float[] from = lm.get(name);
                int rows = from.length / embedding;
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(from, r * embedding, values, r * (embedding + code), embedding);
                }
            } else if (!name.startsWith("dec.init.") && !name.startsWith("dec.topic.")) {
                float[] from = lm.get(name);
                if (from == null || from.length != values.length) {
                    throw new IllegalStateException("language model " + source + " has no tensor " + name + " of " + values.length + " values");
                }
                values = from;
            }
            e.getValue().set(values);
        }
    }
}
