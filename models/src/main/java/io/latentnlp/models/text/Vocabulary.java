package io.latentnlp.models.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token to id mapping with four reserved entries: {@code <pad>} = 0, {@code <unk>} = 1,
 * {@code <s>} = 2, {@code </s>} = 3. The remaining ids go to corpus tokens by descending count,
 * ties by token (so a vocabulary built twice from the same counts is identical).
 *
 * <p>Immutable and thread-safe. Tokens passed to {@link #id(String)} must already be normalized
 * by the bundle's {@link TokenNormalizer}.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    private static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        if (tokens.size() < SPECIALS.size() || !tokens.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IllegalArgumentException(
                    "a vocabulary must start with " + SPECIALS + ", found " + tokens.subList(0, Math.min(4, tokens.size())));
        }
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (map.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate vocabulary entry '" + tokens.get(i) + "' at id " + i);
            }
        }
        this.ids = map;
    }

    /**
     * Builds a vocabulary from token counts.
     *
     * @param counts normalized token counts
     * @param maxSize the largest vocabulary size, specials included (at least 5)
     * @param minCount tokens seen fewer times map to {@code <unk>} (at least 1)
     */
    public static Vocabulary build(Map<String, Long> counts, int maxSize, int minCount) {
        if (maxSize < SPECIALS.size() + 1) {
            throw new IllegalArgumentException("illegal vocabulary size " + maxSize + ": must be at least 5 (4 specials + 1)");
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("illegal minimum count " + minCount + ": must be at least 1");
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !SPECIALS.contains(e.getKey()) && !e.getKey().isEmpty()) {
                entries.add(e);
            }
        }
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> tokens = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Long> e : entries) {
            if (tokens.size() >= maxSize) {
                break;
            }
            tokens.add(e.getKey());
        }
        return new Vocabulary(tokens);
    }

    /** Reads {@code vocab.txt}: one token per line, line number (from 0) = id. */
    public static Vocabulary read(Path file) throws IOException {
        return fromLines(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses vocabulary lines (as in {@code vocab.txt}); {@code source} names them in errors. */
    public static Vocabulary fromLines(List<String> lines, String source) {
        try {
            return new Vocabulary(lines);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code vocab.txt}. */
    public void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String t : tokens) {
                w.write(t);
                w.write('\n');
            }
        }
    }

    /** The id of a normalized token, {@link #UNK_ID} when unknown. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? UNK_ID : id;
    }

    /** Whether the normalized token has its own id. */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token of an id. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** Number of entries, specials included. */
    public int size() {
        return tokens.size();
    }

    /** All entries in id order (unmodifiable). */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }
}
