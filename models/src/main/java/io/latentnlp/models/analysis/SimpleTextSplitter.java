package io.latentnlp.models.analysis;

import io.latentnlp.models.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rule-based English splitter with no model: tokens by {@link SimpleTokenizer}, a sentence
 * ending at {@code .}, {@code !} or {@code ?} (and any closing quotes or brackets after it) when
 * the next token starts with an upper-case letter, a digit or an opening quote or bracket, or at a
 * blank line. A period after a one-letter token or a common abbreviation ({@code Mr}, {@code Dr},
 * {@code e.g} ...) does not end a sentence. Good enough for queries and short notes; a pipeline's
 * own splitter is better for running text. Stateless and thread-safe.
 */
public final class SimpleTextSplitter implements TextSplitter {

    /** The shared instance. */
    public static final SimpleTextSplitter INSTANCE = new SimpleTextSplitter();

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "gen", "col", "lt",
            "no", "vol", "fig", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");
    private static final Set<String> CLOSERS = Set.of("\"", "'", ")", "]", "}", "”", "’", "»");

    private SimpleTextSplitter() {}

    @Override
    public List<List<String>> split(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String paragraph : text.split("\\R\\s*\\R")) {
            List<String> tokens = SimpleTokenizer.tokenize(paragraph);
            List<String> current = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                current.add(t);
                if (isEnd(tokens, i)) {
                    while (i + 1 < tokens.size() && CLOSERS.contains(tokens.get(i + 1))) {
                        current.add(tokens.get(++i));
                    }
                    if (i + 1 >= tokens.size() || startsSentence(tokens.get(i + 1))) {
                        out.add(current);
                        current = new ArrayList<>();
                    }
                }
            }
            if (!current.isEmpty()) {
                out.add(current);
            }
        }
        return out;
    }

    private static boolean isEnd(List<String> tokens, int i) {
        String t = tokens.get(i);
        if (t.equals("!") || t.equals("?")) {
            return true;
        }
        if (!t.equals(".") || i == 0) {
            return t.equals(".");
        }
        String before = tokens.get(i - 1);
        return !(before.length() == 1 && Character.isLetter(before.charAt(0))) && !ABBREVIATIONS.contains(before.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean startsSentence(String next) {
        int c = next.codePointAt(0);
        return Character.isUpperCase(c) || Character.isDigit(c) || "\"'([{“‘«".indexOf(c) >= 0;
    }
}
