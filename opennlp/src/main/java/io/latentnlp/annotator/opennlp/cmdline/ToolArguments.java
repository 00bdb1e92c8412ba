package io.latentnlp.annotator.opennlp.cmdline;

import opennlp.tools.cmdline.TerminateToolException;

/**
 * Strict parsing of the tools' parameter values. OpenNLP's own parser reads a {@code Boolean}
 * parameter with {@link Boolean#parseBoolean}, which turns {@code -raw yes} into false without
 * a word; the tools take such values as strings and parse them here instead.
 */
final class ToolArguments {

    /** OpenNLP's exit code for bad usage. */
    static final int USAGE = 1;

    private ToolArguments() {}

    /** {@code true} or {@code false}; anything else is a usage error naming the parameter and value. */
    static boolean bool(String param, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TerminateToolException(USAGE, "illegal value for -" + param + ": '" + value + "'; use true or false");
        };
    }
}
