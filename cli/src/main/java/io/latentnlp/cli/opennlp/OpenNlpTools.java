package io.latentnlp.cli.opennlp;

import io.latentnlp.annotator.opennlp.cmdline.SentenceVaeEvaluatorTool;
import io.latentnlp.annotator.opennlp.cmdline.SentenceVaeTool;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import opennlp.tools.cmdline.CmdLineTool;
import opennlp.tools.cmdline.BasicCmdLineTool;
import opennlp.tools.cmdline.TerminateToolException;

/**
 * The launcher of latent-nlp's OpenNLP tools, as OpenNLP add-ons ship one (OpenNLP's own {@code
 * CLI} has a closed list of tools): {@code java -cp ... io.latentnlp.cli.opennlp.OpenNlpTools
 * <Tool> [args]}, or {@code latent-nlp opennlp <Tool> [args]}. Behaves like OpenNLP's launcher:
 * usage on no arguments, {@code TerminateToolException} codes as exit codes (0 success, 1 bad
 * usage, -1 failure), messages on stderr. Usage lines name the command as {@code latent-nlp
 * opennlp TOOL} (OpenNLP's help says {@code opennlp TOOL}, a launcher that does not know them).
 */
public final class OpenNlpTools {

    private OpenNlpTools() {}

    /** The tools by name. */
    public static Map<String, BasicCmdLineTool> tools() {
        Map<String, BasicCmdLineTool> m = new LinkedHashMap<>();
        for (BasicCmdLineTool t : new BasicCmdLineTool[] {new SentenceVaeTool(), new SentenceVaeEvaluatorTool(), new SentenceVaeTrainerTool()}) {
            m.put(t.getName().replaceFirst("Tool$", ""), t);
        }
        return m;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** How the tools' usage lines name the command. */
    static final String COMMAND = "latent-nlp opennlp";

    /** Runs a tool and returns the exit code (0 success, 1 usage, the tool's code on failure). */
    public static int run(String... args) {
        Map<String, BasicCmdLineTool> tools = tools();
        if (args.length == 1 && HELP.contains(args[0])) {
            printToolList(tools, System.out); // asked for: the list is the result, on stdout
            return 0;
        }
        if (args.length == 0 || !tools.containsKey(args[0])) {
            if (args.length > 0) {
                System.err.println("Tool " + args[0] + " is not found.");
            }
            printToolList(tools, System.err);
            return 1;
        }
        CmdLineTool tool = tools.get(args[0]);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            if (rest.length == 1 && HELP.contains(rest[0])) {
                System.out.println(usage(tool.getHelp()));
                return 0;
            }
            ((BasicCmdLineTool) tool).run(rest);
            return 0;
        } catch (TerminateToolException e) {
            if (e.getMessage() != null) {
                System.err.println(usage(e.getMessage()));
            }
            return e.getCode();
        }
    }

    /** The launcher's own help flags, OpenNLP's and the other commands' spellings. */
    private static final Set<String> HELP = Set.of("-help", "--help", "-h");

    private static void printToolList(Map<String, BasicCmdLineTool> tools, PrintStream out) {
        out.println("Usage: " + COMMAND + " TOOL [args]\nwhere TOOL is one of:");
        tools.forEach((name, t) -> out.printf("  %-22s %s%n", name, t.getShortDescription()));
        out.println("All tools print their usage with -help or when arguments are missing.");
    }

    /** A tool's help or message with OpenNLP's {@code Usage: opennlp TOOL} naming this launcher instead. */
    static String usage(String text) {
        return text.replace("Usage: opennlp ", "Usage: " + COMMAND + " ");
    }
}
