package io.latentnlp.cli;

import io.latentnlp.cli.opennlp.OpenNlpTools;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code latent-nlp opennlp <Tool> [args]}: the OpenNLP command-line tools, with the launcher's
 * exit codes: OpenNLP's usage code 1 becomes 2 and its failure code -1 becomes 1.
 */
@Command(name = "opennlp", description = {"Runs latent-nlp's OpenNLP tools with OpenNLP's argument conventions.",
    "Tools: SentenceVae (stdin sentences to hashes and likelihoods), SentenceVaeEvaluator, SentenceVaeTrainer; no arguments",
    "lists them, TOOL -help prints a tool's usage. Exit codes as for every command: 0, 1 (failure), 2 (bad usage)."})
final class OpenNlpCommand implements Callable<Integer> {

    /** Everything after {@code opennlp}, in order: OpenNLP's options ({@code -model}) are not picocli's. */
    @picocli.CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        int code = OpenNlpTools.run(args.toArray(String[]::new));
        return switch (code) {
            case 0 -> 0;
            case 1 -> 2;
            default -> 1;
        };
    }
}
