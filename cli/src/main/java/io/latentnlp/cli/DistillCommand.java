package io.latentnlp.cli;

import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.training.DistillConfig;
import io.latentnlp.training.DistillRun;
import io.latentnlp.training.DistillTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp distill}: trains an LSTM encoder to give a pretrained-family bundle's posteriors. */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Distills a pretrained-family bundle's encoder into a fast LSTM encoder: the student reads the teacher's own units and is trained",
            "with DJL (PyTorch, CPU) to give each sentence the teacher's Gaussian posterior q(z|x), minimizing KL(teacher || student) (or the",
            "squared error of mean and log-variance). The teacher's posteriors are computed once and cached in RUN/teacher. The student bundle",
            "keeps the teacher's decoders and vocabulary unchanged; its hash is ITQ refitted on its training posterior means (or the teacher's).",
            "Checkpoints every epoch into --run-dir; --resume continues after a kill; the best epoch on validation is exported. Per-epoch",
            "metrics go to RUN/metrics.jsonl, the final figures (agreement with the teacher's bits included) to stdout."
        })
final class DistillCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--teacher"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT, description = "The teacher: a shipped model or a bundle "
            + "(.vae file or directory) of the pretrained encoder family with a Gaussian latent; default ${DEFAULT-VALUE}.")
    String teacher;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training corpus (one sentence per line, or the prepared .tsv).")
    Path train;

    @Option(names = "--valid", required = true, paramLabel = "FILE", description = "Validation corpus (picks the best epoch).")
    Path valid;

    @Option(names = "--test", paramLabel = "FILE", description = "Test corpus: agreement with the teacher is also measured on it.")
    Path test;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Checkpoints, metrics.jsonl, teacher posteriors, summary.json and the bundle.")
    Path runDir;

    @Option(names = "--name", defaultValue = "distilled", description = "Student name, also the bundle file name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "BUNDLE", description = "Where to write the student (default: RUN/NAME.vae; a name without .vae writes a directory).")
    Path out;

    @Option(names = "--resume", description = "Continue the distillation in --run-dir from its last checkpoint.")
    boolean resume;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Where the teacher's backbone embeddings are cached; give the teacher's training "
            + "cache to skip embedding the corpora again (default: no cache).")
    Path featureCache;

    @Option(names = "--loss", defaultValue = "kl", description = "kl (KL(teacher || student), nats) or mse (squared error of mean and log-variance) "
            + "(default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training sentences (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Sentences per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip-norm", defaultValue = "5.0", description = "Gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--seed", defaultValue = "42", description = "Initialization, batch order and ITQ seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-sentences", defaultValue = "0", description = "Use only the first N training sentences, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxSentences;

    @Option(names = "--max-steps-per-epoch", defaultValue = "0", description = "Cut epochs short after N steps, 0 = full epochs (default: ${DEFAULT-VALUE}).")
    int maxStepsPerEpoch;

    @Option(names = "--hash", defaultValue = "itq", description = "The student's hash: itq (refitted on its training posterior means) or teacher (the "
            + "teacher's spec, so its codes can search an index the teacher filled) (default: ${DEFAULT-VALUE}).")
    String hash;

    @Option(names = "--hash-iterations", defaultValue = "50", description = "ITQ alternations (default: ${DEFAULT-VALUE}).")
    int hashIterations;

    @Option(names = "--init-embedding", defaultValue = "random", description = "The student's embedding at the start: random, or teacher (the "
            + "teacher's decoder embedding of the same units) (default: ${DEFAULT-VALUE}).")
    String initEmbedding;

    @Option(names = "--elbo-weight", defaultValue = "0", description = "Add this weight times the student's negative ELBO under the teacher's "
            + "decoder (frozen) to the loss: the student's posterior moves toward the decoder's true posterior, a tighter likelihood bound for the "
            + "model it ships with, while the distillation term keeps it near the teacher's codes; 0 = pure distillation (default: ${DEFAULT-VALUE}).")
    double elboWeight;

    @Option(names = "--init-from", paramLabel = "RUN", description = "Start the student from the best student of a finished distillation's run "
            + "directory (e.g. to refine it with --elbo-weight).")
    Path initFrom;

    @Option(names = "--share-teacher-files", description = "Write a bundle that reads the teacher's decoders (and every other file equal to the "
            + "teacher's) from the teacher instead of copying them: a few MB instead of 20, but it loads only beside this very teacher (a shipped "
            + "model by name, a file by its path relative to the student's directory; bundle format 3).")
    boolean shareTeacherFiles;

    @Override
    public Integer call() throws Exception {
        DistillConfig config;
        try {
            config = new DistillConfig(loss, epochs, batchSize, learningRate, clipNorm, seed, maxSentences, maxStepsPerEpoch, hash, hashIterations, initEmbedding,
                    elboWeight, initFrom == null ? null : initFrom.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (out != null && Files.exists(out) && !resume) {
            throw new UsageException("--out " + out + " exists; choose a new path");
        }
        String commandLine = "latent-nlp " + String.join(" ", spec.commandLine().getParent().getParseResult().originalArgs());
        DistillRun.Result r = DistillRun.run(config, teacher, new DistillRun.Inputs(train, valid, test, featureCache), runDir, name, out, shareTeacherFiles, resume, commandLine,
                System.err);
        DistillTrainer.Validation v = r.valid();
        if (r.initial() != null) {
            System.out.printf("validation before training: loss %.4f, KL(teacher || student) %.4f nats, mean squared error %.4f%n", r.initial().loss(),
                    r.initial().kl(), r.initial().meanSquaredError());
        }
        System.out.printf("validation (best epoch %s): loss %.4f, KL(teacher || student) %.4f nats, mean squared error %.4f%n",
                r.metrics().get("distill.best_epoch"), v.loss(), v.kl(), v.meanSquaredError());
        for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
            if (e.getKey().contains(".agree.")) {
                System.out.printf("%s: %.4f%n", e.getKey(), ((Number) e.getValue()).doubleValue());
            }
        }
        System.out.println("bundle: " + r.bundle());
        return 0;
    }
}
