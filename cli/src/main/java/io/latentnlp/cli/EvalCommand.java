package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.Reconstruction;
import io.latentnlp.models.runtime.SentenceGenerator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.training.LanguageModelRun;
import io.latentnlp.training.ProgressBar;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            "The table (or JSON) goes to stdout.",
            "With --lm RUN, evaluates the language model (--model lm) trained in run directory RUN instead, with DJL: its exact NLL and perplexity,",
            "the same-run baseline for a VAE's IW-NLL on any corpus."
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

    @Option(names = "--lm", paramLabel = "RUN", description = "Evaluate the language model trained in this run directory (best epoch, DJL) "
            + "instead of a bundle; -m, -k and --reconstruct do not apply.")
    Path lm;

    @Option(names = "--json", description = "Print the metrics as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--reconstruct", defaultValue = "0", paramLabel = "N",
            description = "Also decode the first N sentences greedily from their posterior code and compare with the sentences: token F1 "
                    + "(mean per sentence), corpus BLEU-4 and exact matches, over normalized words (default: ${DEFAULT-VALUE} = off).")
    int reconstruct;

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--iw-samples", samples, 1);
        UsageException.atLeast("--batch-size", batchSize, 1);
        UsageException.atLeast("--threads", threads, 0);
        UsageException.atLeast("--reconstruct", reconstruct, 0);
        if (lm != null) {
            return evaluateLanguageModel();
        }
        ModelBundle bundle = ShippedModels.resolve(model);
        EncodedCorpus data = EncodedCorpus.of(CorpusReader.read(corpus), bundle.sentenceEncoder());
        System.err.println(data.summary());
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, batchSize))) {
            ProgressBar bar = new ProgressBar("eval (K=" + samples + ")", data.ids().size(), System.err);
            EvalMetrics m = VaeEvaluator.evaluateSentences(vae, data.sentences(), new VaeEvaluator.Settings(samples, batchSize, seed, 0.01), done -> bar.update(done, ""));
            bar.finish("");
            Map<String, Object> rec = reconstruct > 0 ? reconstruction(bundle, vae, data.sentences().subList(0, Math.min(reconstruct, data.ids().size()))) : Map.of();
            if (json) {
                Map<String, Object> all = new LinkedHashMap<>(m.toMap());
                all.putAll(rec);
                System.out.println(new ObjectMapper().writeValueAsString(all));
            } else {
                System.out.println("model  " + bundle.source() + " (" + bundle.manifest().name() + ", " + bundle.manifest().latent().type().name().toLowerCase()
                        + " d=" + bundle.manifest().latent().dim() + ")");
                System.out.println("corpus " + corpus);
                System.out.print(m.toTable());
                rec.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-22s %s%n", k.replace('_', ' '), v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
            }
        }
        return 0;
    }

    private int evaluateLanguageModel() throws Exception {
        if (reconstruct > 0) {
            throw new UsageException("--reconstruct needs a VAE bundle (a code to decode from), not the language model --lm " + lm);
        }
        LanguageModelRun run;
        try {
            run = LanguageModelRun.read(lm, "--lm");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        EncodedCorpus data = run.encode(corpus);
        System.err.println(data.summary());
        ProgressBar bar = new ProgressBar("eval (exact)", data.ids().size(), System.err);
        EvalMetrics m = run.evaluate(data, done -> bar.update(done, ""));
        bar.finish("");
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(m.toMap()));
        } else {
            System.out.println("model  " + lm + " (LSTM language model)");
            System.out.println("corpus " + corpus);
            System.out.print(m.toTable());
        }
        return 0;
    }

    /** Greedy reconstructions from the posterior codes against the sentences' normalized words. */
    private static Map<String, Object> reconstruction(ModelBundle bundle, SentenceVae vae, List<EncodedSentence> sentences) {
        List<List<String>> refs = new ArrayList<>();
        List<List<String>> hyps = new ArrayList<>();
        ProgressBar bar = new ProgressBar("reconstruct (greedy)", sentences.size(), System.err);
        try (SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
            int chunk = 64;
            for (int from = 0; from < sentences.size(); from += chunk) {
                List<EncodedSentence> part = sentences.subList(from, Math.min(sentences.size(), from + chunk));
                float[][] z = Arrays.stream(vae.encodeSentences(part)).map(Posterior::code).toArray(float[][]::new);
                List<SentenceGenerator.Generated> out = gen.greedy(z, bundle.manifest().vocab().maxLength() + 1);
                for (int i = 0; i < part.size(); i++) {
                    String text = part.get(i).text();
                    refs.add(text == null || text.isEmpty() ? List.of() : List.of(text.split(" ")));
                    hyps.add(out.get(i).tokens());
                }
                bar.update(from + part.size(), "");
            }
        }
        bar.finish("");
        double f1 = 0;
        int exact = 0;
        for (int i = 0; i < refs.size(); i++) {
            f1 += Reconstruction.f1(refs.get(i), hyps.get(i));
            exact += refs.get(i).equals(hyps.get(i)) ? 1 : 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reconstructed", refs.size());
        m.put("reconstruction_f1", f1 / Math.max(1, refs.size()));
        m.put("reconstruction_bleu", Reconstruction.bleu(refs, hyps));
        m.put("reconstruction_exact", exact / (double) Math.max(1, refs.size()));
        return m;
    }
}
