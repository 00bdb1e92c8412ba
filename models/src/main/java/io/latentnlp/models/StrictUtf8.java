package io.latentnlp.models;

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
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        CoderResult r = decoder().decode(in, out, true);
        return r.isError() ? in.position() : -1;
    }
}
