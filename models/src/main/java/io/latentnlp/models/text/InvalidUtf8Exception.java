package io.latentnlp.models.text;

import java.io.IOException;
import java.util.Locale;

/**
 * Text that is not valid UTF-8, located by the offset of the first bad byte (0-based, counted in
 * the whole input) and the 1-based line holding it. The message reads {@code invalid UTF-8 at
 * byte 4 (line 2): 0xc3}; callers prefix the source (file or stdin) and say what to do.
 */
public final class InvalidUtf8Exception extends IOException {

    private final long offset;
    private final int line;
    private final int value;

    public InvalidUtf8Exception(long offset, int line, int value) {
        super(String.format(Locale.ROOT, "invalid UTF-8 at byte %d (line %d): 0x%02x", offset, line, value & 0xff));
        this.offset = offset;
        this.line = line;
        this.value = value & 0xff;
    }

    /** The 0-based offset of the first invalid byte in the input. */
    public long offset() {
        return offset;
    }

    /** The 1-based line of that byte ({@link Utf8LineReader}'s line ends). */
    public int line() {
        return line;
    }

    /** The byte's value, 0-255. */
    public int value() {
        return value;
    }
}
