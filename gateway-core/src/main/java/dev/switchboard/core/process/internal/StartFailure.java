package dev.switchboard.core.process.internal;

import java.util.List;
import java.util.OptionalInt;

/** An engine child that did not become ready: it exited, hung past its start timeout, or was cancelled. */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final transient List<String> lastLines;
    private final boolean timedOut;

    public StartFailure(String message, Integer exitCode, List<String> lastLines) {
        this(message, exitCode, lastLines, false);
    }

    private StartFailure(String message, Integer exitCode, List<String> lastLines, boolean timedOut) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
        this.timedOut = timedOut;
    }

    /** A child still running, but not ready when its start timeout passed. */
    public static StartFailure timedOut(String message, List<String> lastLines) {
        return new StartFailure(message, null, lastLines, true);
    }

    /** Whether the child hung past its start timeout (rather than exiting or failing to launch). */
    public boolean timedOut() {
        return timedOut;
    }

    /** The child's exit code, when it exited. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The last lines the child printed. */
    public List<String> lastLines() {
        return lastLines;
    }
}
