package io.latentnlp.cli;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.Itq;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latent-nlp rehash}: gives a bundle an ITQ hash spec fitted on a corpus's posterior means,
 * leaving its graphs as they are.
 */
@Command(
        name = "rehash",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes a copy of a bundle whose hash is ITQ over the posterior mean E_q[z] (Gong and Lazebnik 2011): center, project on the top",
            "principal directions, rotate by the learned rotation, take signs. Fitted on the posterior means of the --train sentences. The",
            "graphs, vocabulary and metrics stay; the manifest records the fit. Balanced, little correlated bits are what Hamming search needs:",
            "use it when a model's own bits (posterior mode, median thresholds) retrieve worse, as eval-hash measures."
        })
final class RehashCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT, description = LatentNlp.MODEL_HELP + "; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Sentences to fit on: a corpus file (.tsv or one sentence per line).")
    Path train;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "The new bundle (.vae, or a directory).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "The new bundle's name (default: the model's name + '-itq').")
    String name;

    @Option(names = "--bits", defaultValue = "0", description = "Hash bits, at most the code width; 0 = the code width (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--iterations", defaultValue = "50", description = "ITQ alternations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial rotation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Keep a pretrained encoder's backbone embeddings of --train in DIR and reuse them.")
    Path featureCache;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--bits", bits, 0);
        UsageException.atLeast("--iterations", iterations, 1);
        if (Files.exists(out)) {
            throw new UsageException("--out " + out + " exists; choose a new path");
        }
        ModelBundle bundle = ShippedModels.resolve(model);
        int width = bundle.manifest().latent().codeDim();
        int b = bits == 0 ? width : bits;
        if (b > width) {
            throw new UsageException("--bits " + b + " exceeds the code width " + width + " of " + bundle.source());
        }
        SentenceEncoder encoder = bundle.sentenceEncoder();
        List<EncodedSentence> sentences = new ArrayList<>();
        for (CorpusSentence s : CorpusReader.read(train).sentences()) {
            sentences.add(encoder.encode(s.tokens()));
        }
        float[][] means = new float[sentences.size()][];
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, 256))) {
            Posterior[] q = io.latentnlp.training.features.FeatureCache.encode(vae, sentences, featureCache, train.getFileName().toString(), System.err);
            for (int i = 0; i < q.length; i++) {
                means[i] = q[i].expectation();
            }
        }
        System.err.printf("fitting ITQ: %d sentences, %d -> %d bits, %d iterations%n", means.length, width, b, iterations);
        Manifest.Hash hash = Itq.fit(means, b, iterations, seed).spec();
        Manifest m = bundle.manifest();
        Map<String, Object> provenance = new LinkedHashMap<>(m.provenance() == null ? Map.of() : m.provenance());
        Map<String, Object> rehash = new LinkedHashMap<>();
        rehash.put("command", "latent-nlp " + String.join(" ", spec.commandLine().getParent().getParseResult().originalArgs()));
        rehash.put("from", bundle.source());
        rehash.put("from_hash", m.hash() == null ? null : m.hash().method());
        rehash.put("corpus", train.getFileName().toString());
        rehash.put("corpus_sha256", ModelBundle.sha256(Files.readAllBytes(train)));
        rehash.put("sentences", means.length);
        provenance.put("rehash", rehash);
        Manifest next = new Manifest(Manifest.formatVersion(m.vocab()), name != null ? name : m.name() + "-itq", m.latent(), m.architecture(), m.normalizer(), m.vocab(), hash,
                provenance, m.metrics(), null, m.encoder());
        Map<String, byte[]> graphs = new LinkedHashMap<>();
        for (String file : m.files().keySet()) {
            if (!file.equals(ModelBundle.VOCAB)) {
                graphs.put(file, bundle.file(file));
            }
        }
        ModelBundle written = ModelBundle.writeWithBaseOf(bundle, out, next, bundle.vocabulary(), graphs);
        System.out.println("bundle: " + out + " (" + written.manifest().name() + ", itq " + b + " bits)");
        return 0;
    }
}
