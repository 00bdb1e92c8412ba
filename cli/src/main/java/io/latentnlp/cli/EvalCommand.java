package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.EvalMetrics;
import io.latentnlp.models.ModelBundle;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.ShippedModels;
import io.latentnlp.models.VaeEvaluator;
import io.latentnlp.training.ProgressBar;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp eval}: the metric table of a bundle on a corpus, computed with ONNX Runtime. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluates a model bundle on a corpus with ONNX Runtime.",
            "Metrics: IW-NLL and perplexity (</s> included), ELBO, reconstruction, KL, mutual information and active units.",
            "The table (or JSON) goes to stdout."
        })
final class EvalCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + "; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "One sentence per line, or a prepared Brown .tsv.")
    Path corpus;

    @Option(names = {"-k", "--iw-samples"}, defaultValue = "100", description = "Importance samples K for IW-NLL (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--batch-size", defaultValue = "64", description = "Sentences per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the metrics as one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--iw-samples", samples, 1);
        UsageException.atLeast("--batch-size", batchSize, 1);
        UsageException.atLeast("--threads", threads, 0);
        ModelBundle bundle = ShippedModels.resolve(model);
        EncodedCorpus data = EncodedCorpus.of(CorpusReader.read(corpus), bundle.sentenceEncoder());
        System.err.println(data.summary());
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, batchSize))) {
            ProgressBar bar = new ProgressBar("eval (K=" + samples + ")", data.ids().size(), System.err);
            EvalMetrics m = VaeEvaluator.evaluateSentences(vae, data.sentences(), new VaeEvaluator.Settings(samples, batchSize, seed, 0.01), done -> bar.update(done, ""));
            bar.finish("");
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(m.toMap()));
            } else {
                System.out.println("model  " + bundle.source() + " (" + bundle.manifest().name() + ", " + bundle.manifest().latent().type().name().toLowerCase()
                        + " d=" + bundle.manifest().latent().dim() + ")");
                System.out.println("corpus " + corpus);
                System.out.print(m.toTable());
            }
        }
        return 0;
    }
}
