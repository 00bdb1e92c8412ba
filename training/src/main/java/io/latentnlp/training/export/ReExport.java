package io.latentnlp.training.export;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.model.Dims;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bundle again from a finished run's parameters with the current exporter (for example
 * to add {@code decoder_step.onnx} to a bundle exported before generation existed), keeping the
 * old bundle's name, hash spec, normalizer, provenance and metrics. Refuses when the new graphs
 * do not encode like the old ones. Stateless.
 */
public final class ReExport {

    private ReExport() {}

    /**
     * @param runDir the training run (config.json, vocab.txt, best-params.ndl)
     * @param old the bundle the run exported
     * @param out where to write the new bundle
     */
    public static ModelBundle run(Path runDir, Path old, Path out) throws IOException {
        for (String f : List.of("config.json", ModelBundle.VOCAB, "best-params.ndl")) {
            if (!Files.exists(runDir.resolve(f))) {
                throw new IOException(runDir + " lacks " + f + ": not a finished training run");
            }
        }
        ModelBundle previous = ModelBundle.load(old);
        TrainConfig config = new ObjectMapper().readValue(runDir.resolve("config.json").toFile(), TrainConfig.class);
        Vocabulary vocab = Vocabulary.read(runDir.resolve(ModelBundle.VOCAB));
        if (!vocab.tokens().equals(previous.vocabulary().tokens())) {
            throw new IllegalArgumentException(old + " was not exported from " + runDir + ": their vocabularies differ");
        }
        Dims dims = config.dims(vocab.size());
        Manifest m = previous.manifest();
        Map<String, Object> provenance = new LinkedHashMap<>(m.provenance());
        provenance.put("reexported", Instant.now().toString());
        try (NDManager root = NDManager.newBaseManager(); VaeParameters params = VaeParameters.initialize(root, dims, config.seed())) {
            try (InputStream in = Files.newInputStream(runDir.resolve("best-params.ndl"))) {
                params.load(in);
            }
            ModelBundle fresh = BundleExport.write(out, m.name(), dims, params.toFloatArrays(), vocab, TokenNormalizer.fromSpec(m.normalizer()),
                    m.vocab().maxLength(), m.hash(), provenance, m.metrics(), m.encoder() == null ? null : m.encoder().backbone(),
                    previous.hasFile(Subwords.FILE) ? previous.file(Subwords.FILE) : null);
            checkSame(previous, fresh);
            return fresh;
        }
    }

    private static void checkSame(ModelBundle a, ModelBundle b) {
        List<io.latentnlp.models.text.EncodedSentence> probe = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[] s = new int[2 + i % 9];
            List<String> words = new ArrayList<>();
            for (int j = 0; j < s.length - 1; j++) {
                s[j] = 4 + (i * 31 + j * 7) % (a.vocabulary().size() - 4);
                words.add(a.vocabulary().tokens().get(s[j]));
            }
            s[s.length - 1] = Vocabulary.EOS_ID;
            probe.add(io.latentnlp.models.text.EncodedSentence.of(s, String.join(" ", words)));
        }
        try (SentenceVae va = SentenceVae.open(a, SentenceVae.Options.defaults()); SentenceVae vb = SentenceVae.open(b, SentenceVae.Options.defaults())) {
            Posterior[] qa = va.encodeSentences(probe);
            Posterior[] qb = vb.encodeSentences(probe);
            for (int i = 0; i < qa.length; i++) {
                float[] x = qa[i].expectation();
                float[] y = qb[i].expectation();
                for (int k = 0; k < x.length; k++) {
                    if (Math.abs(x[k] - y[k]) > 1e-5) {
                        throw new IllegalStateException("the re-exported bundle encodes differently from " + a.source() + " (sentence " + i + ", dim " + k
                                + ": " + x[k] + " vs " + y[k] + "); were the run's best parameters replaced after export?");
                    }
                }
            }
        }
    }
}
