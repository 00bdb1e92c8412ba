package io.latentnlp.cli;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.bench.InferenceBenchmark;
import io.latentnlp.training.bench.StepProfile;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.EncodedCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp bench}: ONNX Runtime vs DJL throughput of one trained model, as a markdown table. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures one trained model's throughput on ONNX Runtime and on DJL in the same run.",
            "Encode and score sentences/s with ONNX Runtime (the bundle) and DJL (the run's parameters) at batch 1 and 64, and",
            "training tokens/s of the VAE and the LSTM-LM. Prints a markdown table to stdout.",
            "With --profile-steps N, profiles training steps instead: where a step's time goes (batch arrays, forward, backward, update)",
            "for the run's model, the language model of the same size, the model with a 50-unit vocabulary and a model of minimal size."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "A finished training run.")
    Path runDir;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "BUNDLE", description = "The bundle exported by that run.")
    Path model;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "Sentences to run on.")
    Path corpus;

    @Option(names = "--sentences", defaultValue = "2000", description = "How many sentences of the corpus (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--repeats", defaultValue = "3", description = "Measured passes per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--train-steps", defaultValue = "100", description = "Training steps measured per model, 0 = skip (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--profile-steps", defaultValue = "0", paramLabel = "N",
            description = "Profile N training steps per variant instead of measuring throughput, 0 = off (default: ${DEFAULT-VALUE}).")
    int profileSteps;

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--sentences", sentences, 1);
        UsageException.atLeast("--repeats", repeats, 1);
        UsageException.atLeast("--train-steps", trainSteps, 0);
        UsageException.atLeast("--profile-steps", profileSteps, 0);
        ModelBundle bundle = ModelBundle.load(model);
        List<int[]> ids = EncodedCorpus.of(CorpusReader.read(corpus), bundle.sentenceEncoder()).ids();
        ids = ids.subList(0, Math.min(sentences, ids.size()));
        if (profileSteps > 0) {
            TrainConfig config = new com.fasterxml.jackson.databind.ObjectMapper().readValue(runDir.resolve("config.json").toFile(), TrainConfig.class);
            List<StepProfile.Row> rows;
            try {
                rows = StepProfile.run(config, bundle.vocabulary().size(), ids, profileSteps, System.err);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            System.out.println("| variant | batch arrays | forward | backward | update | step | tokens/s |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            for (StepProfile.Row r : rows) {
                System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %,.0f |%n", r.variant(), r.batchMs(), r.forwardMs(), r.backwardMs(),
                        r.updateMs(), r.stepMs(), r.tokensPerSecond());
            }
            return 0;
        }
        List<InferenceBenchmark.Row> rows = InferenceBenchmark.run(runDir, model, ids, repeats, trainSteps, System.err);
        System.out.println("| what | engine | batch | throughput |");
        System.out.println("|---|---|---:|---:|");
        for (InferenceBenchmark.Row r : rows) {
            System.out.printf("| %s | %s | %s | %,.0f %s |%n", r.what(), r.engine(), r.batch(), r.perSecond(), r.unit());
        }
        return 0;
    }
}
