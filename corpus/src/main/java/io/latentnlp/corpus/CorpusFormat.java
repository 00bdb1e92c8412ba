package io.latentnlp.corpus;

import java.nio.file.Path;

/** Text layouts the corpus reader understands. */
public enum CorpusFormat {
    /** One sentence per line, tokens separated by whitespace. */
    PLAIN,
    /**
     * The prepared Brown corpus ({@code scripts/fetch-brown.sh}): {@code docId TAB genre TAB
     * tokens}, tokens separated by single spaces.
     */
    BROWN;

    /** {@code .tsv} files are read as {@link #BROWN}, anything else as {@link #PLAIN}. */
    public static CorpusFormat guess(Path file) {
        return file.getFileName().toString().endsWith(".tsv") ? BROWN : PLAIN;
    }
}
