package io.latentnlp.cli;

import io.latentnlp.models.bundle.ShippedModels;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code latent-nlp} launcher. Results go to stdout, progress and diagnostics to stderr.
 * Exit codes: 0 success, 1 failure (the message says what and where), 2 bad usage.
 */
@Command(
        name = "latent-nlp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sentence variational autoencoders for Java NLP pipelines.",
        subcommands = {AnnotateCommand.class, TrainCommand.class, EvalCommand.class, EvalHashCommand.class, BenchCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class, GenerateCommands.Sample.class,
            GenerateCommands.Reconstruct.class, GenerateCommands.Interpolate.class, GenerateCommands.Neighbours.class, ExportCommand.class, RehashCommand.class, DistillCommand.class, CoreNlpBenchCommand.class, OpenNlpCommand.class, TokenizerAgreementCommand.class, PlotCommand.class, CommandLine.HelpCommand.class})
public final class LatentNlp implements Runnable {

    /** The help text of every {@code -m/--model} option that takes a shipped name or a path. */
    static final String MODEL_HELP = "A shipped model (" + ShippedModels.MINILM_GAUSSIAN_64 + ", " + ShippedModels.MINILM_LSTM_64 + ", " + ShippedModels.BERNOULLI_64
            + ", " + ShippedModels.GAUSSIAN_32 + ") or a bundle (.vae file or directory)";

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
        summariesInCommandLists(cli);
        cli.setExecutionExceptionHandler((e, cmd, parse) -> {
            if (e instanceof UsageException) {
                // A bad option value found by the command: reported like a parse error (usage, exit 2).
                return cmd.getParameterExceptionHandler().handleParseException(new CommandLine.ParameterException(cmd, e.getMessage(), e),
                        parse.originalArgs().toArray(String[]::new));
            }
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(e)); // "latent-nlp index add: ...", not "latent-nlp add: ..."
            if (Boolean.getBoolean("latentnlp.stacktrace")) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cli.setExecutionStrategy(LatentNlp::refuseUnknownCommands);
        return cli.execute(args);
    }

    /**
     * picocli skips its check of unmatched arguments when help is asked for, so {@code latent-nlp
     * serve --help} would print the top-level help and exit 0 as if {@code serve} existed. A word
     * left over where a command was expected is a usage error (exit 2) naming it, help or not.
     */
    private static int refuseUnknownCommands(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (!last.unmatched().isEmpty() && !last.commandSpec().subcommands().isEmpty()) {
            throw new CommandLine.UnmatchedArgumentException(last.commandSpec().commandLine(), last.unmatched());
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * Command lists (of {@code latent-nlp --help}, {@code index --help}) show each command's first
     * sentence, whole: picocli shows the first line of the description, which wraps mid-sentence.
     */
    private static void summariesInCommandLists(CommandLine cli) {
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, LatentNlp::commandList);
        // Descriptions are prose hard-wrapped in the source; picocli wraps each source line on its
        // own, so they become two paragraphs, the summary and the rest, each wrapped as a whole.
        CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        String summary = summary(cli.getCommandSpec());
        String all = String.join(" ", usage.description()).strip();
        if (usage.header().length == 0 && all.startsWith(summary) && all.length() > summary.length()) {
            usage.description(summary, all.substring(summary.length()).strip());
        }
        cli.getSubcommands().values().stream().distinct().forEach(LatentNlp::summariesInCommandLists);
    }

    private static String commandList(CommandLine.Help help) {
        List<CommandLine.Help> subs = help.subcommands().values().stream().distinct().filter(h -> !h.commandSpec().usageMessage().hidden()).toList();
        if (subs.isEmpty()) {
            return "";
        }
        int names = 4 + subs.stream().mapToInt(h -> h.commandNamesText(", ").plainString().length()).max().orElse(0);
        int width = help.commandSpec().usageMessage().width();
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
                new CommandLine.Help.Column(names, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(Math.max(20, width - names), 1, CommandLine.Help.Column.Overflow.WRAP));
        for (CommandLine.Help h : subs) {
            table.addRowValues(h.commandNamesText(", "), help.colorScheme().text(summary(h.commandSpec())));
        }
        return table.toString();
    }

    /** The first sentence of a command's header or description. */
    static String summary(CommandLine.Model.CommandSpec spec) {
        String[] lines = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
        String text = String.join(" ", lines).strip();
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("[.!?](?=\\s+[A-Z`])").matcher(text);
        return end.find() ? text.substring(0, end.end()) : text;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
