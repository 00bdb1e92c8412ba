package io.latentnlp.models.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits raw text into runs of letters/digits (with inner apostrophes, as in "don't") and single
 * symbols. The tokenizer of command-line query strings where no CoreNLP or OpenNLP pipeline is
 * involved; pipelines bring their own. Stateless.
 */
public final class SimpleTokenizer {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*|[^\\p{L}\\p{N}\\s]");

    private SimpleTokenizer() {}

    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
