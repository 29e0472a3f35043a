package dev.switchboard.core.placement;

/** The GPUs could not be read: the tool is missing, failed, timed out or printed something unexpected. */
public final class GpuInventoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpuInventoryException(String message) {
        super(message);
    }

    public GpuInventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
