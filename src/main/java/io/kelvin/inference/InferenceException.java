package io.kelvin.inference;

/** An inference call that did not produce predictions (ONNX Runtime failed, or the model is closed). */
public class InferenceException extends RuntimeException {
    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
