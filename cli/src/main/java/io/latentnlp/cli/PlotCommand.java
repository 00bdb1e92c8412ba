package io.latentnlp.cli;

import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.training.report.TrainingPlots;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp plot}: PNG plots of a training run and of a model's latent space. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes PNG plots of a training run and of a model's latent space.",
            "PREFIX-nats.png, PREFIX-kl-mi.png and PREFIX-au.png: per-epoch validation curves of a run (--run-dir). With --model",
            "and --corpus, PREFIX-pca.png: the first two principal components of the sentences' latent codes (mean or",
            "probabilities), one colour per label (the Brown genre)."})
final class PlotCommand implements Callable<Integer> {

    @Option(names = "--run-dir", paramLabel = "DIR", description = "A training run (metrics.jsonl).")
    Path runDir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Model for the latent projection: a shipped name or a bundle.")
    String model;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Sentences for the latent projection (a Brown .tsv colours by genre).")
    Path corpus;

    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Path prefix of the PNG files.")
    String out;

    @Override
    public Integer call() throws Exception {
        if (runDir == null && model == null) {
            throw new UsageException("nothing to plot: give --run-dir, or --model with --corpus");
        }
        if (model != null && corpus == null) {
            throw new UsageException("--model needs --corpus (the sentences to project)");
        }
        if (runDir != null) {
            for (Path p : TrainingPlots.curves(runDir, out)) {
                System.out.println(p);
            }
        }
        if (model != null) {
            Path png = Path.of(out + "-pca.png");
            TrainingPlots.projection(ShippedModels.resolve(model), corpus, png);
            System.out.println(png);
        }
        return 0;
    }
}
