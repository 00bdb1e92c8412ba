package io.latentnlp.corpus;

import java.util.List;

/**
 * Sentences read from one file, with what was skipped on the way.
 *
 * @param source the file
 * @param sentences the sentences, in file order
 * @param lines lines read
 * @param blankLines blank lines skipped
 */
public record Corpus(String source, List<CorpusSentence> sentences, int lines, int blankLines) {

    public int size() {
        return sentences.size();
    }
}
