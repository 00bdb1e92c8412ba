package io.latentnlp.index;

import java.nio.charset.StandardCharsets;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;

/**
 * What a search hit reads from an index entry, as one binary doc value: position + 1 (vInt), the
 * id's UTF-8 length (vInt), the id, then the text's UTF-8 bytes up to the end of the value.
 *
 * @param id the text's id
 * @param position the sentence's position, or -1 for a document
 * @param text the document's or sentence's text
 */
record HitValue(String id, int position, String text) {

    static BytesRef encode(String id, int position, String text) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[10 + idBytes.length + textBytes.length];
        int at = writeVInt(out, 0, position + 1);
        at = writeVInt(out, at, idBytes.length);
        System.arraycopy(idBytes, 0, out, at, idBytes.length);
        at += idBytes.length;
        System.arraycopy(textBytes, 0, out, at, textBytes.length);
        return new BytesRef(out, 0, at + textBytes.length);
    }

    /** Lucene's vInt (7 bits a byte, low first; readable by {@link ByteArrayDataInput#readVInt}); returns the next offset. */
    private static int writeVInt(byte[] out, int at, int v) {
        while ((v & ~0x7F) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /**
     * Orders two encoded values by id (UTF-8 bytes, unsigned: Lucene's term order, which is code
     * point order) and then position, without decoding them.
     */
    static int compareIdThenPosition(BytesRef a, BytesRef b) {
        ByteArrayDataInput x = new ByteArrayDataInput(a.bytes, a.offset, a.length);
        ByteArrayDataInput y = new ByteArrayDataInput(b.bytes, b.offset, b.length);
        int px = x.readVInt();
        int py = y.readVInt();
        int lx = x.readVInt();
        int ly = y.readVInt();
        int c = java.util.Arrays.compareUnsigned(a.bytes, x.getPosition(), x.getPosition() + lx, b.bytes, y.getPosition(), y.getPosition() + ly);
        return c != 0 ? c : Integer.compare(px, py);
    }

    static HitValue decode(BytesRef value) {
        ByteArrayDataInput in = new ByteArrayDataInput(value.bytes, value.offset, value.length);
        int position = in.readVInt() - 1;
        int idLength = in.readVInt();
        int at = in.getPosition();
        int end = value.offset + value.length;
        if (idLength < 0 || at + idLength > end) {
            throw new IllegalStateException("a hit value of " + value.length + " bytes with an id of " + idLength + " bytes; the index is damaged");
        }
        String id = new String(value.bytes, at, idLength, StandardCharsets.UTF_8);
        String text = new String(value.bytes, at + idLength, end - at - idLength, StandardCharsets.UTF_8);
        return new HitValue(id, position, text);
    }
}
