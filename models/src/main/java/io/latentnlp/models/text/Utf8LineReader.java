package io.latentnlp.models.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of UTF-8 text from a byte stream, decoding each line strictly ({@link StrictUtf8}):
 * a bad byte stops reading with its byte offset and line ({@link InvalidUtf8Exception}), or, if
 * asked, is replaced by U+FFFD and the line flagged. The one line reader of every surface that
 * reads user text line by line (corpora, the OpenNLP tools' input).
 *
 * <p>A line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (old Mac files), or at the
 * end of input; the terminator is not part of the line, and no empty line follows a final
 * terminator. A UTF-8 byte-order mark at the start of the input is dropped. Lines are split on
 * bytes before decoding, which is safe because no UTF-8 sequence contains the bytes of
 * {@code \n} or {@code \r}, and means an error names its own line. The reader does not close
 * the stream, and never reads past a line end it has returned except to fill its buffer.
 * Not thread-safe.
 */
public final class Utf8LineReader {

    /**
     * A decoded line.
     *
     * @param number 1-based line number
     * @param offset 0-based byte offset of the line's first byte in the input
     * @param text the line without its terminator
     * @param replaced whether invalid bytes were replaced by U+FFFD (only when asked to replace)
     */
    public record Line(int number, long offset, String text, boolean replaced) {}

    private final InputStream in;
    private final boolean replaceInvalid;
    private final byte[] buf = new byte[1 << 16];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int pos;
    private int limit;
    private long offset;
    private int number;
    private boolean afterCr;

    /**
     * @param in the bytes; read through an internal buffer, not closed
     * @param replaceInvalid replace invalid bytes by U+FFFD and flag the line, instead of throwing
     */
    public Utf8LineReader(InputStream in, boolean replaceInvalid) {
        this.in = in;
        this.replaceInvalid = replaceInvalid;
    }

    /**
     * The next line, or null at the end of input.
     *
     * @throws InvalidUtf8Exception at the first invalid byte, unless replacing
     */
    public Line next() throws IOException {
        long start = offset;
        int b = read();
        if (afterCr && b == '\n') { // the \n of a \r\n pair: the line ended at the \r
            start = offset;
            b = read();
        }
        afterCr = false;
        if (b == -1) {
            return null;
        }
        line.reset();
        while (b != -1 && b != '\n' && b != '\r') {
            line.write(b);
            b = read();
        }
        afterCr = b == '\r';
        number++;
        byte[] bytes = line.toByteArray();
        int skip = number == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        int bad = StrictUtf8.firstInvalid(bytes, skip, bytes.length - skip);
        if (bad < 0) {
            return new Line(number, start, new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8), false);
        }
        if (!replaceInvalid) {
            throw new InvalidUtf8Exception(start + bad, number, bytes[bad]);
        }
        return new Line(number, start, new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8), true);
    }

    /** Lines returned so far. */
    public int lines() {
        return number;
    }

    private int read() throws IOException {
        if (pos == limit) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            limit = n;
        }
        offset++;
        return buf[pos++] & 0xff;
    }
}
