package io.latentnlp.cli;

import io.latentnlp.annotator.TokenizerAgreement;
import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.training.corpus.CorpusFormat;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp tokenizer-agreement}: do CoreNLP and OpenNLP give the model the same sentence? */
@Command(name = "tokenizer-agreement", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures whether CoreNLP's and OpenNLP's tokenizers give the model the same sentences.",
            "Tokenizes each sentence with CoreNLP and with OpenNLP's English TokenizerME and compares what reaches the model:",
            "equal normalized tokens, equal hashes, latent cosine >= 0.99, and each tokenizer's unknown-token rate.",
            "Sentences: a Brown .tsv (each line's tokens joined by spaces), or raw text split by OpenNLP's sentence detector."})
final class TokenizerAgreementCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + "; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "Raw text, or a Brown .tsv.")
    Path text;

    @Option(names = "--normalizer", paramLabel = "NAME", description = "Compare tokens under this normalizer (latent-nlp-v1 or latent-nlp-v2) "
            + "instead of the bundle's; hashes still use the bundle's.")
    String normalizer;

    @Override
    public Integer call() throws Exception {
        if (normalizer != null) {
            UsageException.oneOf("--normalizer", normalizer, "latent-nlp-v1", "latent-nlp-v2");
        }
        try (SentenceVaeModel m = SentenceVaeModel.load(model, io.latentnlp.models.runtime.SentenceVae.Options.defaults())) {
            List<String> sentences = new ArrayList<>();
            if (CorpusFormat.guess(text) == CorpusFormat.BROWN) {
                for (CorpusSentence s : CorpusReader.read(text).sentences()) {
                    sentences.add(String.join(" ", s.tokens()));
                }
            } else {
                RawTextVae raw = new RawTextVae(new SentenceVaeME(m), RawTextVae.Tokenization.MAXENT);
                String all = Files.readString(text, StandardCharsets.UTF_8);
                sentences.addAll(Arrays.stream(raw.sentences(all)).map(s -> s.replaceAll("\\s+", " ").strip()).filter(s -> !s.isEmpty()).toList());
            }
            io.latentnlp.models.text.TokenNormalizer n = normalizer == null ? io.latentnlp.models.text.TokenNormalizer.fromSpec(m.bundle().manifest().normalizer())
                    : io.latentnlp.models.text.TokenNormalizer.fromSpec(java.util.Map.of("name", normalizer, "lowercase", true, "digitsToZero", true, "joinClitics", true));
            TokenizerAgreement.Report r = TokenizerAgreement.measure(m, sentences, n);
            System.out.println("tokens compared under " + n.spec().get("name") + "; the model normalizes with " + m.bundle().manifest().normalizer().get("name"));
            System.out.print(r.toTable());
            if (!r.examples().isEmpty()) {
                System.out.println("first differences (CoreNLP | OpenNLP, normalized):");
                r.examples().forEach(e -> System.out.println("  " + e));
            }
        }
        return 0;
    }
}
