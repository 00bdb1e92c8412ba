package io.latentnlp.corpus;

/** A corpus file cannot be read as asked; the message names the file and the line. */
public class CorpusException extends RuntimeException {

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
