package io.latentnlp.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code latent-nlp index add|delete|stats|bench}: build, change and inspect a semantic-hash index, one or sharded. */
@Command(
        name = "index",
        mixinStandardHelpOptions = true,
        description = "Builds and inspects a semantic-hash index (Lucene, multi-index hashing). Search it with `latent-nlp search`.",
        subcommands = {IndexAddCommand.class, IndexDeleteCommand.class, IndexStatsCommand.class, IndexBenchCommand.class})
final class IndexCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, delete, stats or bench");
    }

    /** "1 text", "2 texts". */
    static String plural(long n, String one, String many) {
        return n == 1 ? one : many;
    }
}
