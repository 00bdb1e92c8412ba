package io.latentnlp.models.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for every reader of user text (corpora, tool input, annotate): a
 * malformed byte is an error, never a silent U+FFFD. Stateless.
 */
public final class StrictUtf8 {

    private StrictUtf8() {}

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decodes {@code len} bytes from {@code off}, or throws on the first malformed byte. */
    public static String decode(byte[] bytes, int off, int len) throws CharacterCodingException {
        return decoder().decode(ByteBuffer.wrap(bytes, off, len)).toString();
    }

    /** The offset of the first byte that is not valid UTF-8, or -1 when all of it is. */
    public static int firstInvalid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length);
    }

    /**
     * The index in {@code bytes} of the first byte of {@code [off, off + len)} that is not valid
     * UTF-8, or -1 when all of them are.
     */
    public static int firstInvalid(byte[] bytes, int off, int len) {
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(Math.max(16, len));
        CoderResult r = decoder().decode(in, out, true);
        return r.isError() ? in.position() : -1;
    }

    /**
     * Decodes a whole text, or throws naming the first bad byte's offset and line (lines end as
     * {@link Utf8LineReader} ends them: {@code \n}, {@code \r\n} or a lone {@code \r}).
     */
    public static String decodeText(byte[] bytes) throws InvalidUtf8Exception {
        int at = firstInvalid(bytes);
        if (at < 0) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        throw new InvalidUtf8Exception(at, line, bytes[at]);
    }
}
