package io.latentnlp.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.runtime.PretrainedBackbone;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open vocabulary of word pieces: every normalized token reaches the model as known units, so
 * no word is {@code <unk>} for being rare. Segmentation is HuggingFace tokenizers' WordPiece
 * (greedy longest match, {@value #CONTINUATION} marks a piece inside a word) run on the bundle's
 * own {@value #FILE}: a backbone's {@code tokenizer.json} (here all-MiniLM-L6-v2's uncased BERT
 * normalizer and pre-tokenizer) whose vocabulary was cut to the pieces a training corpus uses
 * most, plus every single character it uses (both forms), so any word made of known characters
 * still decomposes. A word with a character outside the vocabulary becomes one unknown unit.
 *
 * <p>Thread-safe; holds a native tokenizer, so close it (the bundle that owns it never does: one
 * per loaded bundle).
 */
public final class Subwords implements AutoCloseable {

    /** The bundle file holding the segmenter. */
    public static final String FILE = "subwords.json";

    /** Indented like every JSON file a bundle writes, so a rewritten tokenizer is byte for byte what it was. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** {@link Manifest.Vocab#units()} of a word-piece vocabulary. */
    public static final String WORDPIECE = "wordpiece";
    /** The segmenter's unknown piece (mapped to {@link Vocabulary#UNK_ID}). */
    public static final String UNK_PIECE = "[UNK]";
    /** Prefix of a piece that continues a word. */
    public static final String CONTINUATION = "##";

    private final HuggingFaceTokenizer tokenizer;
    private final byte[] json;

    private Subwords(HuggingFaceTokenizer tokenizer, byte[] json) {
        this.tokenizer = tokenizer;
        this.json = json;
    }

    /**
     * A segmenter from a {@code tokenizer.json}.
     *
     * @param source names the file in errors
     * @throws BundleException when the JSON is not a WordPiece tokenizer HuggingFace tokenizers can load
     */
    public static Subwords fromJson(byte[] json, String source) {
        try {
            JsonNode model = JSON.readTree(json).path("model");
            if (!"WordPiece".equals(model.path("type").asText()) || !model.path("vocab").has(UNK_PIECE)) {
                throw new BundleException(source + ": not a WordPiece tokenizer with an " + UNK_PIECE + " piece");
            }
            HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new Subwords(tok, json.clone());
        } catch (IOException | RuntimeException e) {
            if (e instanceof BundleException b) {
                throw b;
            }
            throw new BundleException(source + ": cannot load the word-piece segmenter: " + e.getMessage(), e);
        }
    }

    /** The full (uncut) segmenter of a known backbone ({@link PretrainedBackbone#known()}). */
    public static Subwords ofBackbone(String backbone) {
        return fromJson(PretrainedBackbone.tokenizerJson(backbone), "backbone " + backbone + " tokenizer");
    }

    /**
     * Pieces of normalized tokens, in order.
     *
     * @param pieces the word pieces ({@value #UNK_PIECE} for a word that cannot be segmented)
     * @param words for each piece, the index of the token it belongs to
     */
    public record Segmented(List<String> pieces, int[] words) {}

    /** Segments normalized tokens (each token is one word to the segmenter; it may split it further at punctuation). */
    public Segmented segment(List<String> tokens) {
        List<String> words = new ArrayList<>(tokens.size());
        List<Integer> index = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isBlank()) {
                words.add(tokens.get(i));
                index.add(i);
            }
        }
        if (words.isEmpty()) {
            return new Segmented(List.of(), new int[0]);
        }
        Encoding e = tokenizer.encode(words, false, false);
        String[] pieces = e.getTokens();
        long[] wordIds = e.getWordIds();
        int[] origin = new int[pieces.length];
        for (int p = 0; p < pieces.length; p++) {
            origin[p] = index.get((int) wordIds[p]);
        }
        return new Segmented(List.of(pieces), origin);
    }

    /** The {@code tokenizer.json} this segmenter was read from. */
    public byte[] json() {
        return json.clone();
    }

    /**
     * Chooses the pieces of a cut vocabulary: every character the counted pieces contain, as a
     * word-initial and as a continuation piece (so every word of those characters decomposes),
     * then the most frequent other pieces, ties by piece.
     *
     * @param counts piece counts over a training corpus (segmented by the full vocabulary)
     * @param size how many pieces to keep (the model's vocabulary without its specials)
     * @throws IllegalArgumentException when {@code size} cannot hold the single characters
     */
    public static List<String> choose(Map<String, Long> counts, int size) {
        java.util.TreeSet<Integer> characters = new java.util.TreeSet<>();
        for (String p : counts.keySet()) {
            if (!p.equals(UNK_PIECE)) {
                bare(p).codePoints().forEach(characters::add);
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        for (int c : characters) {
            String ch = new String(Character.toChars(c));
            kept.add(ch);
            kept.add(CONTINUATION + ch);
        }
        if (kept.size() > size) {
            throw new IllegalArgumentException("a vocabulary of " + size + " pieces cannot hold the corpus's " + kept.size()
                    + " single characters (both forms); raise --vocab-size");
        }
        counts.entrySet().stream()
                .filter(e -> !e.getKey().equals(UNK_PIECE))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .takeWhile(p -> kept.size() < size)
                .forEach(kept::add);
        return List.copyOf(kept);
    }

    /** A piece without its continuation prefix. */
    private static String bare(String piece) {
        return piece.startsWith(CONTINUATION) && piece.length() > CONTINUATION.length() ? piece.substring(CONTINUATION.length()) : piece;
    }

    /**
     * This segmenter with its vocabulary cut to {@code pieces} (plus {@value #UNK_PIECE}): the
     * {@code tokenizer.json} of a bundle. Special tokens and the post-processor are dropped (the
     * model adds its own {@code </s>}); a literal {@code [CLS]} in text is segmented as text.
     */
    public byte[] restrict(Collection<String> pieces) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            ObjectNode vocab = JSON.createObjectNode();
            vocab.put(UNK_PIECE, 0);
            for (String p : pieces) {
                if (!vocab.has(p)) {
                    vocab.put(p, vocab.size());
                }
            }
            ((ObjectNode) root.path("model")).set("vocab", vocab);
            root.set("added_tokens", JSON.createArrayNode());
            root.putNull("post_processor");
            root.putNull("truncation");
            root.putNull("padding");
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the tokenizer JSON", e);
        }
    }

    /** Every piece of the segmenter's vocabulary, {@value #UNK_PIECE} included, in id order. */
    public List<String> pieces() {
        try {
            JsonNode vocab = JSON.readTree(json).path("model").path("vocab");
            String[] out = new String[vocab.size()];
            vocab.fields().forEachRemaining(e -> out[e.getValue().asInt()] = e.getKey());
            return List.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer JSON", e);
        }
    }

    /**
     * The model vocabulary of this segmenter: the four specials, then its pieces in id order
     * ({@value #UNK_PIECE} is the specials' {@code <unk>}). A bundle's {@code vocab.txt} is exactly
     * this.
     */
    public Vocabulary vocabulary() {
        List<String> entries = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS));
        pieces().stream().filter(p -> !p.equals(UNK_PIECE)).forEach(entries::add);
        return Vocabulary.fromLines(entries, "word pieces");
    }

    /** Joins word pieces into words: a {@value #CONTINUATION} piece continues the word before it. */
    public static List<String> join(List<String> pieces) {
        List<String> words = new ArrayList<>(pieces.size());
        for (String p : pieces) {
            if (p.startsWith(CONTINUATION) && p.length() > CONTINUATION.length() && !words.isEmpty()) {
                words.set(words.size() - 1, words.get(words.size() - 1) + p.substring(CONTINUATION.length()));
            } else {
                words.add(p);
            }
        }
        return words;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
