package io.latentnlp.cli;

import io.latentnlp.models.ShippedModels;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code latent-nlp} launcher. Results go to stdout, progress and diagnostics to stderr.
 * Exit codes: 0 success, 1 failure (the message says what and where), 2 bad usage.
 */
@Command(
        name = "latent-nlp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sentence variational autoencoders for Java NLP pipelines.",
        subcommands = {AnnotateCommand.class, TrainCommand.class, EvalCommand.class, EvalHashCommand.class, BenchCommand.class, IndexCommand.class, SearchCommand.class, GenerateCommands.Sample.class,
            GenerateCommands.Reconstruct.class, GenerateCommands.Interpolate.class, GenerateCommands.Neighbours.class, ExportCommand.class, CoreNlpBenchCommand.class, OpenNlpCommand.class, TokenizerAgreementCommand.class, PlotCommand.class, CommandLine.HelpCommand.class})
public final class LatentNlp implements Runnable {

    /** The help text of every {@code -m/--model} option that takes a shipped name or a path. */
    static final String MODEL_HELP = "A shipped model (" + ShippedModels.BERNOULLI_64 + ", " + ShippedModels.GAUSSIAN_32 + ") or a bundle (.vae file or directory)";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the launcher and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        // DJL must never try to download native libraries: they ship in pytorch-native-cpu.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = new CommandLine(new LatentNlp());
        cli.setExecutionExceptionHandler((e, cmd, parse) -> {
            PrintWriter err = cmd.getErr();
            err.println("latent-nlp " + cmd.getCommandName() + ": " + message(e));
            if (Boolean.getBoolean("latentnlp.stacktrace")) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
