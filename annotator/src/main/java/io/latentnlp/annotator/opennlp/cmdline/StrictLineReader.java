package io.latentnlp.annotator.opennlp.cmdline;

import io.latentnlp.models.StrictUtf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines one at a time and decodes each strictly, so a bad byte is reported with its
 * line number (or, if asked, replaced by U+FFFD and flagged). Lines end at {@code \n}; a {@code
 * \r} before it is dropped. Not thread-safe.
 */
final class StrictLineReader {

    /** A decoded line: its 1-based number, its text, and whether invalid bytes were replaced. */
    record Line(int number, String text, boolean replaced) {}

    private final InputStream in;
    private final boolean replaceInvalid;
    private int number;

    StrictLineReader(InputStream in, boolean replaceInvalid) {
        this.in = in;
        this.replaceInvalid = replaceInvalid;
    }

    /** The next line, or null at the end of input. */
    Line next() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            any = true;
            if (b == '\n') {
                break;
            }
            buf.write(b);
        }
        if (!any) {
            return null;
        }
        number++;
        byte[] bytes = buf.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return new Line(number, StrictUtf8.decode(bytes, 0, len), false);
        } catch (CharacterCodingException e) {
            if (!replaceInvalid) {
                throw new InvalidInputException("line " + number + ": invalid UTF-8 (" + e.getMessage()
                        + "); fix the input or pass -replaceInvalid true to replace bad bytes and flag the line");
            }
            return new Line(number, new String(bytes, 0, len, StandardCharsets.UTF_8), true);
        }
    }

    /** Input that cannot be read as UTF-8. */
    static final class InvalidInputException extends RuntimeException {
        InvalidInputException(String message) {
            super(message);
        }
    }
}
