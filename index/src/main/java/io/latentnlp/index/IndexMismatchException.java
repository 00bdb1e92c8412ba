package io.latentnlp.index;

/** An index was made from another model or hash spec than the one in hand. */
public final class IndexMismatchException extends RuntimeException {

    public IndexMismatchException(String message) {
        super(message);
    }
}
