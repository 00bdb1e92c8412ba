package io.latentnlp.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a token, as any tokenizer produced it, to the form the vocabulary was built on.
 *
 * <p>One implementation serves training, CoreNLP and OpenNLP, so that the same sentence reaches
 * the model as the same ids whichever pipeline tokenized it. The steps, in order:
 *
 * <ol>
 *   <li>PTB bracket escapes ({@code -LRB-}, {@code -RSB-}, ...) become the brackets they stand for;
 *   <li>quote forms ({@code ``}, {@code ''}, curly and straight double quotes) become {@code "},
 *       single curly quotes become {@code '}; dash forms ({@code --}, en and em dash) become
 *       {@code --};
 *   <li>optionally, the token is lower-cased (root locale);
 *   <li>optionally, every decimal digit becomes {@code 0}, so numbers share a few vocabulary
 *       entries by shape.
 * </ol>
 *
 * <p>Immutable and thread-safe. Its {@link #spec()} is stored in every bundle manifest and
 * {@link #fromSpec(Map)} restores it, so a bundle always normalizes as it was trained.
 */
public final class TokenNormalizer {

    private static final Map<String, String> ESCAPES =
            Map.ofEntries(
                    Map.entry("-LRB-", "("),
                    Map.entry("-RRB-", ")"),
                    Map.entry("-LSB-", "["),
                    Map.entry("-RSB-", "]"),
                    Map.entry("-LCB-", "{"),
                    Map.entry("-RCB-", "}"),
                    Map.entry("``", "\""),
                    Map.entry("''", "\""),
                    Map.entry("\u201C", "\""),
                    Map.entry("\u201D", "\""),
                    Map.entry("\u201E", "\""),
                    Map.entry("\u2018", "'"),
                    Map.entry("\u2019", "'"),
                    Map.entry("`", "'"),
                    Map.entry("\u2013", "--"),
                    Map.entry("\u2014", "--"),
                    Map.entry("---", "--"));

    private final boolean lowercase;
    private final boolean digitsToZero;

    /**
     * @param lowercase lower-case every token
     * @param digitsToZero replace every decimal digit with {@code 0}
     */
    public TokenNormalizer(boolean lowercase, boolean digitsToZero) {
        this.lowercase = lowercase;
        this.digitsToZero = digitsToZero;
    }

    /** The default: lower-case, digits to zero, escapes and quotes unified. */
    public static TokenNormalizer defaults() {
        return new TokenNormalizer(true, true);
    }

    /**
     * Normalizes one token. Returns an empty string only for an empty or all-whitespace token;
     * callers drop those.
     */
    public String normalize(String token) {
        String t = token.strip();
        String mapped = ESCAPES.get(t);
        if (mapped == null && !t.isEmpty() && t.chars().allMatch(c -> c == '-') && t.length() > 2) {
            mapped = "--";
        }
        if (mapped != null) {
            return mapped;
        }
        if (lowercase) {
            t = t.toLowerCase(Locale.ROOT);
        }
        if (digitsToZero) {
            StringBuilder sb = null;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c >= '1' && c <= '9') {
                    if (sb == null) {
                        sb = new StringBuilder(t);
                    }
                    sb.setCharAt(i, '0');
                }
            }
            if (sb != null) {
                t = sb.toString();
            }
        }
        return t;
    }

    /** Normalizes a token sequence, dropping tokens that normalize to nothing. */
    public List<String> normalize(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            String n = normalize(token);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /** The settings as a JSON-friendly map, for the bundle manifest. */
    public Map<String, Object> spec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "latent-nlp-v1");
        spec.put("lowercase", lowercase);
        spec.put("digitsToZero", digitsToZero);
        spec.put("ptbEscapes", true);
        spec.put("quotes", true);
        return spec;
    }

    /**
     * Restores a normalizer from {@link #spec()}.
     *
     * @throws IllegalArgumentException when the spec names an unknown normalizer
     */
    public static TokenNormalizer fromSpec(Map<String, Object> spec) {
        Object name = spec.get("name");
        if (!"latent-nlp-v1".equals(name)) {
            throw new IllegalArgumentException(
                    "unknown token normalizer '" + name + "': this version knows only latent-nlp-v1");
        }
        return new TokenNormalizer(
                Boolean.TRUE.equals(spec.get("lowercase")), Boolean.TRUE.equals(spec.get("digitsToZero")));
    }

    public boolean lowercase() {
        return lowercase;
    }

    public boolean digitsToZero() {
        return digitsToZero;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenNormalizer n && n.lowercase == lowercase && n.digitsToZero == digitsToZero;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(lowercase) * 31 + Boolean.hashCode(digitsToZero);
    }

    @Override
    public String toString() {
        return "TokenNormalizer" + spec();
    }
}
