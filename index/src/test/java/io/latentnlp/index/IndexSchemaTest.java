package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.SemanticHash;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** The on-disk format of {@link IndexSchema}: a change here makes existing indexes unreadable, so it is pinned byte for byte. */
class IndexSchemaTest {

    @Test
    void codesAreBigEndianWordsAndDecodeFromAnOffset() {
        long[] words = {0x0102030405060708L, 0xF0E0D0C0B0A09080L};
        byte[] bytes = IndexSchema.encode(words);
        assertEquals("0102030405060708f0e0d0c0b0a09080", HexFormat.of().formatHex(bytes));
        byte[] padded = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        long[] into = new long[4];
        IndexSchema.decodeWords(new BytesRef(padded, 3, bytes.length), 2, into, 1);
        assertArrayEquals(new long[] {0, words[0], words[1], 0}, into);
    }

    @Test
    void latentsAreBigEndianFloatsAndDecodeFromAnOffset() {
        float[] v = {1f, -0.5f, Float.MIN_VALUE};
        byte[] bytes = IndexSchema.encode(v);
        assertEquals("3f800000bf00000000000001", HexFormat.of().formatHex(bytes));
        byte[] padded = new byte[bytes.length + 5];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        assertArrayEquals(v, IndexSchema.decodeFloats(new BytesRef(padded, 5, bytes.length)));
    }

    @Test
    void aTextIsOneDocumentEntryThenOneEntryPerSentence() {
        SemanticHash doc = SemanticHash.fromWords(new long[] {7L}, 64);
        SemanticHash s0 = SemanticHash.fromWords(new long[] {1L}, 64);
        SemanticHash s1 = SemanticHash.fromWords(new long[] {2L}, 64);
        HashIndex.Text text = new HashIndex.Text("t1", "Hi. Bye.", doc, new float[] {1f},
                List.of(new HashIndex.Sentence(0, 3, s0, null), new HashIndex.Sentence(4, 8, s1, new float[] {2f})));
        List<Document> block = IndexSchema.block(text);
        assertEquals(3, block.size());
        Document d = block.get(0);
        assertEquals("t1", d.get("id"));
        assertEquals(-1, d.getField("pos").numericValue().intValue());
        assertEquals(new BytesRef(IndexSchema.encode(new long[] {7L})), d.getBinaryValue("dcode"));
        assertEquals(new BytesRef(IndexSchema.encode(new float[] {1f})), d.getBinaryValue("dlatent"));
        assertEquals(new HitValue("t1", -1, "Hi. Bye."), HitValue.decode(d.getBinaryValue("dhit")));
        Document first = block.get(1);
        assertEquals(new HitValue("t1", 0, "Hi."), HitValue.decode(first.getBinaryValue("shit")));
        assertEquals(new BytesRef(IndexSchema.encode(new long[] {1L})), first.getBinaryValue("scode"));
        assertNull(first.getBinaryValue("slatent"), "a sentence without a latent has no latent field");
        assertEquals(0, first.getField("begin").numericValue().intValue());
        assertEquals(3, first.getField("end").numericValue().intValue());
        Document second = block.get(2);
        assertEquals(new HitValue("t1", 1, "Bye."), HitValue.decode(second.getBinaryValue("shit")));
        assertEquals(4, second.getField("begin").numericValue().intValue());
        assertEquals(new BytesRef("t1"), second.getBinaryValue("id_dv"));
    }

    @Test
    void aDamagedSubstringCountInTheCommitIsRefusedNamingKeyAndValue() {
        assertEquals(0, IndexSchema.substringsOf(Path.of("ix"), Map.of()), "indexes from before the key fix no m");
        assertEquals(4, IndexSchema.substringsOf(Path.of("ix"), Map.of(IndexSchema.SUBSTRINGS_KEY, "4")));
        IndexMismatchException e = assertThrows(IndexMismatchException.class,
                () -> IndexSchema.substringsOf(Path.of("ix"), Map.of(IndexSchema.SUBSTRINGS_KEY, "four")));
        assertEquals("ix: commit data latentnlp.mih_substrings='four' is not a number; the index is damaged", e.getMessage());
    }

    @Test
    void aCodeOfAnotherLengthIsRefusedNamingBothLengths() {
        IndexIdentity identity = HashIndexTest.identity(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IndexSchema.checkCode(SemanticHash.fromWords(new long[] {0, 0}, 128), "query", identity, Path.of("ix")));
        assertTrue(e.getMessage().startsWith("query: a 128-bit code, but ix holds 64-bit codes of "), e.getMessage());
    }
}
