package io.latentnlp.models.analysis;

import io.latentnlp.models.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule-based English splitter with no model: a sentence ends at {@code .}, {@code !} or
 * {@code ?} (and any closing quotes or brackets after it) followed by white space and an
 * upper-case letter, a digit or an opening quote or bracket, or at a blank line; tokens by {@link
 * SimpleTokenizer}. A period after a one-letter token or a common abbreviation ({@code Mr}, {@code Dr},
 * {@code e.g} ...) does not end a sentence. Good enough for queries and short notes; a pipeline's
 * own splitter is better for running text. Stateless and thread-safe.
 */
public final class SimpleTextSplitter implements TextSplitter {

    /** The shared instance. */
    public static final SimpleTextSplitter INSTANCE = new SimpleTextSplitter();

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "gen", "col", "lt",
            "no", "vol", "fig", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

    private SimpleTextSplitter() {}

    /** A candidate end: final punctuation, closing quotes or brackets, then white space. */
    private static final Pattern END = Pattern.compile("[.!?]+[\"'”’)\\]}»]*\\s+");

    @Override
    public List<List<String>> split(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String paragraph : text.split("\\R\\s*\\R")) {
            int start = 0;
            Matcher m = END.matcher(paragraph);
            while (m.find()) {
                if (m.end() < paragraph.length() && startsSentence(paragraph.codePointAt(m.end())) && !abbreviation(paragraph, m.start())) {
                    add(out, paragraph.substring(start, m.end()));
                    start = m.end();
                }
            }
            add(out, paragraph.substring(start));
        }
        return out;
    }

    private static void add(List<List<String>> out, String sentence) {
        List<String> tokens = SimpleTokenizer.tokenize(sentence);
        if (!tokens.isEmpty()) {
            out.add(tokens);
        }
    }

    /** Whether the period at {@code dot} follows a single letter (an initial) or a known abbreviation. */
    private static boolean abbreviation(String text, int dot) {
        if (text.charAt(dot) != '.') {
            return false;
        }
        int from = dot;
        while (from > 0 && Character.isLetter(text.charAt(from - 1))) {
            from--;
        }
        String word = text.substring(from, dot);
        return word.length() == 1 || ABBREVIATIONS.contains(word.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean startsSentence(int c) {
        return Character.isUpperCase(c) || Character.isDigit(c) || "\"'([{“‘«".indexOf(c) >= 0;
    }
}
