package io.kelvin.inference;

/** {@code kelvin.inference.device=cuda} on a machine or build where CUDA cannot be used. */
public final class DeviceUnavailableException extends RuntimeException {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
