package io.latentnlp.cli;

import io.latentnlp.annotator.corenlp.bench.PipelineBenchmark;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.training.corpus.CorpusFormat;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp corenlp-bench}: CoreNLP pipeline throughput with and without the VAE annotator. */
@Command(name = "corenlp-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures CoreNLP pipeline throughput with and without the vae annotator.",
            "Sentences/s of tokenize,ssplit against tokenize,ssplit,vae (and with IWAE samples) on the same documents in the same",
            "run. Documents: a Brown .tsv grouped by document id (tokens joined by spaces, re-tokenized by CoreNLP), or one per",
            "file line otherwise. A markdown table on stdout."})
final class CoreNlpBenchCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + "; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "Documents to annotate.")
    Path corpus;

    @Option(names = "--iwae-samples", defaultValue = "10", description = "K for the IWAE row, 0 = skip it (default: ${DEFAULT-VALUE}).")
    int iwae;

    @Option(names = "--repeats", defaultValue = "3", description = "Measured passes (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--threads", defaultValue = "1", description = "vae.nthreads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--iwae-samples", iwae, 0);
        UsageException.atLeast("--repeats", repeats, 1);
        UsageException.atLeast("--threads", threads, 1);
        Map<String, StringBuilder> docs = new LinkedHashMap<>();
        for (CorpusSentence s : CorpusReader.read(corpus).sentences()) {
            String id = CorpusFormat.guess(corpus) == CorpusFormat.BROWN ? s.docId() : Integer.toString(s.line());
            docs.computeIfAbsent(id, x -> new StringBuilder()).append(String.join(" ", s.tokens())).append('\n');
        }
        List<String> texts = new ArrayList<>();
        docs.values().forEach(b -> texts.add(b.toString()));
        List<PipelineBenchmark.Row> rows = PipelineBenchmark.run(model, texts, iwae, repeats, threads, System.err);
        System.out.print(PipelineBenchmark.table(rows));
        return 0;
    }
}
