package dev.switchboard.app.activity;

/**
 * How much of the gateway's traffic is kept for the activity view.
 *
 * @param enabled whether requests are kept at all (metrics count them either way)
 * @param capacity how many of the latest requests are kept
 * @param capture whether request and response bodies are kept with them (headers never are, so no
 *     API key is ever kept)
 * @param captureBytes at most this much of each captured body is kept
 */
public record ActivitySettings(boolean enabled, int capacity, boolean capture, int captureBytes) {
    public static final int DEFAULT_CAPACITY = 200;
    public static final int DEFAULT_CAPTURE_BYTES = 32 * 1024;

    public ActivitySettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        if (captureBytes < 0) {
            throw new IllegalArgumentException("captureBytes must not be negative, got " + captureBytes);
        }
    }

    /** On, the last 200 requests, no capture. */
    public static ActivitySettings defaults() {
        return new ActivitySettings(true, DEFAULT_CAPACITY, false, DEFAULT_CAPTURE_BYTES);
    }
}
