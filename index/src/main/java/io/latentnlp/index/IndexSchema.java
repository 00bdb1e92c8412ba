package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.BytesRef;

/**
 * What a {@link HashIndex} stores and how: the Lucene field names, the byte codecs of codes and
 * latents, the block of Lucene documents of one text, and the commit data (identity, fixed m).
 * Written by {@link HashIndexWriter}, read by {@link HashIndexSearcher} and {@link ReaderCodes}; a
 * change here changes the on-disk format. Static helpers only.
 */
final class IndexSchema {

    /** The text id: an indexed term (replace and delete by id), stored. */
    static final String ID = "id";
    /** The text id again, in sorted doc values (the tie-break order of search). */
    static final String ID_SORT = "id_dv";
    /** The sentence position (-1: the document entry), stored and in numeric doc values. */
    static final String POS = "pos";
    /** The level ({@link Level#label()}), an indexed term counted by stats and by {@link ReaderCodes}. */
    static final String KIND = "kind";
    /** The document's or sentence's text, stored (read for hits of indexes written before the hit doc values). */
    static final String TEXT = "text";
    static final String BEGIN = "begin";
    static final String END = "end";
    static final Set<String> TEXT_ONLY = Set.of(TEXT);

    /**
     * The number of substrings m a user fixed for the in-memory multi-index hashing ("0": chosen
     * from the codes when a reader is searched). Indexes written before search moved into memory
     * recorded their term layout under "latentnlp.substrings"; that key is ignored now.
     */
    static final String SUBSTRINGS_KEY = "latentnlp.mih_substrings";

    private IndexSchema() {}

    /** The binary doc values field of a level's codes (big-endian 64-bit words). */
    static String codeField(Level level) {
        return level.prefix + "code";
    }

    /** The binary doc values field of a level's latents (big-endian floats), absent for entries without one. */
    static String latentField(Level level) {
        return level.prefix + "latent";
    }

    /**
     * What a hit returns, in binary doc values: position, id and text in one value ({@link
     * HitValue}), so a hit costs one doc values read. One field per level: a doc values reader
     * allocates a buffer of the field's longest value, and sentences are short while documents
     * may not be.
     */
    static String hitField(Level level) {
        return level.prefix + "hit";
    }

    /**
     * The Lucene block of a text: its document entry, then one entry per sentence. The caller has
     * validated the codes and spans.
     */
    static List<Document> block(HashIndex.Text text) {
        List<Document> block = new ArrayList<>(text.sentences().size() + 1);
        Document doc = new Document();
        common(doc, text.id(), -1, text.text(), text.hash(), text.latent(), Level.DOCUMENT);
        block.add(doc);
        for (int i = 0; i < text.sentences().size(); i++) {
            HashIndex.Sentence s = text.sentences().get(i);
            Document sd = new Document();
            common(sd, text.id(), i, text.text().substring(s.begin(), s.end()), s.hash(), s.latent(), Level.SENTENCE);
            sd.add(new StoredField(BEGIN, s.begin()));
            sd.add(new StoredField(END, s.end()));
            block.add(sd);
        }
        return block;
    }

    private static void common(Document doc, String id, int pos, String text, SemanticHash hash, float[] latent, Level level) {
        doc.add(new StringField(ID, id, Field.Store.YES));
        doc.add(new SortedDocValuesField(ID_SORT, new BytesRef(id)));
        doc.add(new StringField(KIND, level.label(), Field.Store.NO));
        doc.add(new StoredField(POS, pos));
        doc.add(new NumericDocValuesField(POS, pos));
        // A hit's id, position and text in one doc value: a few microseconds, against tens for
        // stored fields (whose compressed blocks are larger) or three doc values readers.
        doc.add(new BinaryDocValuesField(hitField(level), HitValue.encode(id, pos, text)));
        doc.add(new BinaryDocValuesField(codeField(level), new BytesRef(encode(hash.words()))));
        if (latent != null) {
            doc.add(new BinaryDocValuesField(latentField(level), new BytesRef(encode(latent))));
        }
    }

    static byte[] encode(long[] words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    /** Copies the {@code words} code words in {@code ref} (as {@link #encode(long[])} wrote them) to {@code into} from {@code at}. */
    static void decodeWords(BytesRef ref, int words, long[] into, int at) {
        for (int w = 0; w < words; w++) {
            into[at + w] = (long) BitUtil.VH_BE_LONG.get(ref.bytes, ref.offset + w * Long.BYTES);
        }
    }

    static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static float[] decodeFloats(BytesRef ref) {
        ByteBuffer b = ByteBuffer.wrap(ref.bytes, ref.offset, ref.length);
        float[] v = new float[ref.length / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** The user data of the newest commit in {@code directory}, or null when it holds no index. */
    static Map<String, String> latestCommitData(Directory directory) throws IOException {
        try {
            return SegmentInfos.readLatestCommit(directory).getUserData();
        } catch (IndexNotFoundException e) {
            return null;
        }
    }

    /** Refuses commit data without an identity, or with one other than {@code expected}. */
    static void checkIdentity(Path dir, Map<String, String> data, IndexIdentity expected) {
        IndexIdentity own = IndexIdentity.fromUserData(data);
        if (own == null) {
            throw new IndexMismatchException(dir + " is a Lucene index but not a latent-nlp semantic-hash index (no identity in its commit)");
        }
        if (!own.equals(expected)) {
            throw new IndexMismatchException("index " + dir + " holds codes of " + own + ", not of " + expected
                    + "; codes of different models are not comparable: use the index's model or a new index directory");
        }
    }

    /** The m a commit fixes, 0 when it fixes none (also for indexes from before the key existed). */
    static int substringsOf(Path dir, Map<String, String> data) {
        String v = data.get(SUBSTRINGS_KEY);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IndexMismatchException(dir + ": commit data " + SUBSTRINGS_KEY + "='" + v + "' is not a number; the index is damaged");
        }
    }

    /** Refuses a missing code, or one of another length than the index's. */
    static void checkCode(SemanticHash hash, String what, IndexIdentity identity, Path path) {
        if (hash == null) {
            throw new IllegalArgumentException(what + " has no code");
        }
        if (hash.bits() != identity.bits()) {
            throw new IllegalArgumentException(what + ": a " + hash.bits() + "-bit code, but " + path + " holds " + identity.bits() + "-bit codes of " + identity.model());
        }
    }
}
