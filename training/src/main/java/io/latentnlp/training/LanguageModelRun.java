package io.latentnlp.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A finished language-model run (the baseline, {@code --model lm}) read back from its run
 * directory. Language models are not exported as bundles, so this is how they are evaluated on
 * other corpora ({@code latent-nlp eval --lm}) and how a VAE's decoder starts from one
 * ({@link DecoderInit}).
 *
 * @param dir the run directory
 * @param config its {@code config.json}
 * @param vocab its {@code vocab.txt}
 */
public record LanguageModelRun(Path dir, TrainConfig config, Vocabulary vocab) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and checks a run directory.
     *
     * @param option how the user named it, for messages (e.g. {@code --lm})
     * @throws IllegalArgumentException when it is not a finished language-model run
     */
    public static LanguageModelRun read(Path dir, String option) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(dir.resolve(Checkpoint.BEST))) {
            throw new IllegalArgumentException(option + " " + dir + ": not a finished training run (needs config.json and " + Checkpoint.BEST + ")");
        }
        TrainConfig config = JSON.readValue(configFile.toFile(), TrainConfig.class);
        if (config.hasLatent()) {
            throw new IllegalArgumentException(option + " " + dir + ": a " + config.latentType().label()
                    + " VAE run, not a language model (--model lm); a VAE is used through its bundle");
        }
        return new LanguageModelRun(dir, config, Vocabulary.read(dir.resolve(ModelBundle.VOCAB)));
    }

    /** Its best-on-validation parameters, in a sub-manager of {@code parent}. */
    public VaeParameters load(NDManager parent) throws IOException {
        VaeParameters p = VaeParameters.initialize(parent, config.dims(vocab.size()), 0);
        try (InputStream in = Files.newInputStream(dir.resolve(Checkpoint.BEST))) {
            p.load(in);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** {@code corpus} in this run's units (words or word pieces, its maximum length). */
    public EncodedCorpus encode(Path corpus) throws IOException {
        Subwords subwords = config.wordPieces() ? Subwords.fromJson(Files.readAllBytes(dir.resolve(Subwords.FILE)), dir.resolve(Subwords.FILE).toString()) : null;
        try {
            return EncodedCorpus.of(CorpusReader.read(corpus), new SentenceEncoder(TokenNormalizer.defaults(), vocab, config.maxLength(), subwords));
        } finally {
            if (subwords != null) {
                subwords.close();
            }
        }
    }

    /**
     * The exact NLL of every sentence under the best parameters (DJL): the same metrics as {@code
     * latent-nlp eval} gives a VAE bundle.
     */
    public EvalMetrics evaluate(EncodedCorpus data, LongConsumer progress) throws IOException {
        try (NDManager root = NDManager.newBaseManager(); VaeParameters p = load(root)) {
            return VaeEvaluator.evaluate(new DjlScorer(new VaeNetwork(p), root), data.ids(), new VaeEvaluator.Settings(1, 64, config.seed(), 0.01), progress);
        }
    }
}
