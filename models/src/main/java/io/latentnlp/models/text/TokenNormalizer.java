package io.latentnlp.models.text;

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
 *       entries by shape;
 *   <li>optionally ({@code joinClitics}, normalizer {@code latent-nlp-v2}), token boundaries that
 *       tokenizers draw differently are drawn one way: a clitic split off by PTB-style tokenizers
 *       ({@code 's 're 've 'll 'd 'm n't}, and {@code '} after a word ending in s) is joined to the
 *       word before it, as the Brown corpus and OpenNLP's English model write it ({@code don't},
 *       {@code jury's}, {@code users'}); {@code can not} becomes {@code cannot}; {@code - -}
 *       becomes {@code --}; two single quotes (a split {@code ``} or {@code ''}) become {@code "};
 *       {@code and / or} becomes {@code and/or}; {@code five - month} and {@code five- month}
 *       become {@code five-month}; {@code u.n .} becomes {@code u.n.}; a URL split after a slash is joined; a period left on the last
 *       word of a sentence ({@code law.}) is split off.
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

    private static final java.util.Set<String> CLITICS = java.util.Set.of("'s", "'re", "'ve", "'ll", "'d", "'m", "n't");

    private final boolean lowercase;
    private final boolean digitsToZero;
    private final boolean joinClitics;

    /**
     * A {@code latent-nlp-v1} normalizer (no clitic joining), as bundles exported before v2 use.
     *
     * @param lowercase lower-case every token
     * @param digitsToZero replace every decimal digit with {@code 0}
     */
    public TokenNormalizer(boolean lowercase, boolean digitsToZero) {
        this(lowercase, digitsToZero, false);
    }

    /**
     * @param joinClitics draw clitic and dash token boundaries one way ({@code latent-nlp-v2})
     */
    public TokenNormalizer(boolean lowercase, boolean digitsToZero, boolean joinClitics) {
        this.lowercase = lowercase;
        this.digitsToZero = digitsToZero;
        this.joinClitics = joinClitics;
    }

    /** The default: lower-case, digits to zero, escapes and quotes unified, clitics joined. */
    public static TokenNormalizer defaults() {
        return new TokenNormalizer(true, true, true);
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

    /**
     * The text a pretrained backbone reads: the normalized tokens, at most {@code maxTokens} of
     * them (the truncation the decoder sees), joined by single spaces.
     */
    public String text(List<String> rawTokens, int maxTokens) {
        List<String> t = normalize(rawTokens);
        return String.join(" ", t.size() > maxTokens ? t.subList(0, maxTokens) : t);
    }

    /** Normalizes a token sequence, dropping tokens that normalize to nothing (and joining clitics when enabled). */
    public List<String> normalize(List<String> tokens) {
        return normalizeAligned(tokens).tokens();
    }

    /**
     * Normalized tokens and where each came from.
     *
     * @param tokens the normalized tokens ({@link #normalize(List)})
     * @param origins for each normalized token, the index of the first input token it was made
     *     from: a token joined to the one before it (a clitic such as {@code n't}) has no
     *     normalized token of its own, a split-off final period shares its word's origin
     */
    public record Aligned(List<String> tokens, int[] origins) {}

    /** {@link #normalize(List)} with the input position of every normalized token. */
    public Aligned normalizeAligned(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        List<Integer> from = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String n = normalize(tokens.get(i));
            if (n.isEmpty()) {
                continue;
            }
            int last = out.size() - 1;
            String prev = out.isEmpty() ? "" : out.get(last);
            if (joinClitics && n.equals("'") && prev.equals("'")) {
                out.set(last, "\""); // `` or '' split into two single quotes
            } else if (joinClitics && n.equals("'") && prev.length() > 1 && prev.endsWith("'") && !prev.endsWith("''")) {
                // the first quote of a split '' was taken for a plural possessive: undo that
                out.set(last, prev.substring(0, prev.length() - 1));
                out.add("\"");
                from.add(i - 1);
            } else if (joinClitics && !out.isEmpty() && joins(prev, n)) {
                out.set(last, n.equals("not") ? prev + "not" : prev + n);
            } else if (joinClitics && out.size() >= 2 && (prev.equals("/") || prev.equals("-")) && isWord(lastPart(out.get(last - 1))) && isWord(n)) {
                // "and / or", "five - month": PTB-style splits of one token
                out.remove(last);
                from.remove(last);
                out.set(last - 1, out.get(last - 1) + prev + n);
            } else if (joinClitics && prev.length() > 1 && prev.endsWith("-") && isWord(prev.substring(prev.length() - 2, prev.length() - 1)) && isWord(n)) {
                // "five-" "month": a hyphen left on the first part
                out.set(last, prev + n);
            } else {
                out.add(n);
                from.add(i);
            }
        }
        if (joinClitics && !out.isEmpty()) {
            // a sentence-final period left on the last word ("law.") is split off, as PTB tokenizers do
            int lastIndex = out.size() - 1;
            String last = out.get(lastIndex);
            if (last.length() > 1 && last.endsWith(".") && last.indexOf('.') == last.length() - 1 && isWord(last.substring(0, last.length() - 1))) {
                out.set(lastIndex, last.substring(0, last.length() - 1));
                out.add(".");
                from.add(from.get(lastIndex));
            }
        }
        return new Aligned(out, from.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The part of a token after its last hyphen or slash. */
    private static String lastPart(String t) {
        int i = Math.max(t.lastIndexOf('-'), t.lastIndexOf('/'));
        return i < 0 ? t : t.substring(i + 1);
    }

    private static boolean isWord(String t) {
        return !t.isEmpty() && t.chars().allMatch(Character::isLetterOrDigit);
    }

    /** Whether {@code token} continues {@code previous} under clitic joining. */
    private static boolean joins(String previous, String token) {
        String t = token.toLowerCase(Locale.ROOT);
        String p = previous.toLowerCase(Locale.ROOT);
        boolean word = p.chars().anyMatch(Character::isLetterOrDigit) && !p.endsWith("'");
        if (CLITICS.contains(t)) {
            return word;
        }
        if (t.equals("'")) {
            return word && p.endsWith("s");
        }
        if (t.equals("not")) {
            return p.equals("can");
        }
        if (p.matches("(https?://|www\\.)\\S*/") && t.chars().anyMatch(Character::isLetterOrDigit)) {
            return true; // a URL split at a slash
        }
        if (t.equals(".")) {
            // an initialism split before its last period: "u.n" + "." is "u.n."
            return p.matches("(\\p{L}\\.)+\\p{L}");
        }
        return t.equals("-") && p.equals("-");
    }

    /** The settings as a JSON-friendly map, for the bundle manifest. */
    public Map<String, Object> spec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", joinClitics ? "latent-nlp-v2" : "latent-nlp-v1");
        spec.put("lowercase", lowercase);
        spec.put("digitsToZero", digitsToZero);
        spec.put("ptbEscapes", true);
        spec.put("quotes", true);
        if (joinClitics) {
            spec.put("joinClitics", true);
        }
        return spec;
    }

    /**
     * Restores a normalizer from {@link #spec()}.
     *
     * @throws IllegalArgumentException when the spec names an unknown normalizer
     */
    public static TokenNormalizer fromSpec(Map<String, Object> spec) {
        Object name = spec.get("name");
        if (!"latent-nlp-v1".equals(name) && !"latent-nlp-v2".equals(name)) {
            throw new IllegalArgumentException(
                    "unknown token normalizer '" + name + "': this version knows latent-nlp-v1 and latent-nlp-v2");
        }
        return new TokenNormalizer(Boolean.TRUE.equals(spec.get("lowercase")), Boolean.TRUE.equals(spec.get("digitsToZero")),
                "latent-nlp-v2".equals(name) && Boolean.TRUE.equals(spec.get("joinClitics")));
    }

    public boolean lowercase() {
        return lowercase;
    }

    public boolean digitsToZero() {
        return digitsToZero;
    }

    public boolean joinClitics() {
        return joinClitics;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenNormalizer n && n.lowercase == lowercase && n.digitsToZero == digitsToZero && n.joinClitics == joinClitics;
    }

    @Override
    public int hashCode() {
        return (Boolean.hashCode(lowercase) * 31 + Boolean.hashCode(digitsToZero)) * 31 + Boolean.hashCode(joinClitics);
    }

    @Override
    public String toString() {
        return "TokenNormalizer" + spec();
    }
}
