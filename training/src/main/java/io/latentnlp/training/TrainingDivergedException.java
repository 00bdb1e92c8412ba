package io.latentnlp.training;

/**
 * The loss or a gradient became NaN or infinite. Training stopped before the bad step touched the
 * parameters; the last good checkpoint is kept.
 */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
