package io.kelvin.model;

/** An exported model did not load, or ONNX Runtime's predictions differ from the Java model's. */
public final class ModelExportException extends RuntimeException {
    public ModelExportException(String message) {
        super(message);
    }

    public ModelExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
