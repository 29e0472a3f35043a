package dev.switchboard.core.lifecycle;

/** Where a model is in its life. Only the {@link ModelManager} moves a model between states. */
public enum ModelState {
    /** No engine runs for it. */
    UNLOADED,
    /** Its engine is starting; requests wait. */
    STARTING,
    /** Its engine serves requests. */
    READY,
    /** Its engine released its GPU memory and sleeps; a request wakes it. */
    SLEEPING,
    /** Its engine is being stopped; requests wait for the next start. */
    STOPPING,
    /** Its engine failed to start or crashed; the next request retries after a back-off. */
    FAILED;

    /** Whether the model holds an engine process (and so counts against the loaded limit). */
    public boolean holdsEngine() {
        return this == STARTING || this == READY || this == SLEEPING || this == STOPPING;
    }
}
