package dev.switchboard.core.lifecycle;

/**
 * Where a model is in its life. Only the gateway's model manager moves a model between states, and only
 * along the moves the lifecycle's transition table lists.
 */
public enum ModelState {
    /** No engine runs for it. */
    UNLOADED,
    /** Its engine is starting; requests wait. */
    STARTING,
    /** Its engine serves requests. */
    READY,
    /** Its engine is releasing its GPU memory; requests wait for it to sleep, then wake it. */
    FALLING_ASLEEP,
    /** Its engine released its GPU memory and sleeps; a request wakes it. */
    SLEEPING,
    /** Its sleeping engine is taking its GPU memory back; requests wait. */
    WAKING,
    /** Its engine is being stopped; requests wait for the next start. */
    STOPPING,
    /** Its engine failed to start or crashed; the next request retries after a back-off. */
    FAILED;

    /**
     * Whether the model holds an engine process, and so counts against the loaded limit: a STOPPING
     * engine counts until it has exited, as in llama.cpp's router, where {@code --models-max} bounds
     * the engines running.
     */
    public boolean holdsEngine() {
        return this != UNLOADED && this != FAILED;
    }

    /** Whether the engine is between two settled states: a start, stop, sleep or wake is under way. */
    public boolean inTransit() {
        return this == STARTING || this == FALLING_ASLEEP || this == WAKING || this == STOPPING;
    }
}
