package io.latentnlp.cli;

/**
 * A bad option value found after parsing (a count below its minimum, an unknown name, options
 * that exclude each other). The launcher reports it as picocli reports a parse error: the
 * message, the command's usage, exit code 2. Commands check their options before they read a
 * file or load a model.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }

    /** The message of an option whose value breaks a rule: {@code Invalid value for option '--k': 0 (must be at least 1)}. */
    static UsageException invalid(String option, Object value, String rule) {
        return new UsageException("Invalid value for option '" + option + "': " + value + " (" + rule + ")");
    }

    /** {@code value}, or a usage error when it is below {@code min}. */
    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw invalid(option, value, "must be at least " + min);
        }
        return value;
    }

    /** {@code value}, or a usage error when it is below {@code min}. */
    static long atLeast(String option, long value, long min) {
        if (value < min) {
            throw invalid(option, value, "must be at least " + min);
        }
        return value;
    }

    /** {@code value}, or a usage error unless it is one of {@code allowed}. */
    static String oneOf(String option, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw invalid(option, "'" + value + "'", "use " + String.join(", ", allowed));
    }
}
