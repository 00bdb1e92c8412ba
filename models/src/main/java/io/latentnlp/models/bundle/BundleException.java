package io.latentnlp.models.bundle;

/**
 * A model bundle cannot be used: a file is missing, corrupt, of an unknown format, or does not
 * match the ONNX contract. The message names the bundle and the file.
 */
public class BundleException extends RuntimeException {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
