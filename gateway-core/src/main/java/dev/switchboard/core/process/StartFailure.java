package dev.switchboard.core.process;

import java.util.List;
import java.util.OptionalInt;

/** An engine child that did not become ready: it exited, hung past its start timeout, or was cancelled. */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final transient List<String> lastLines;

    public StartFailure(String message, Integer exitCode, List<String> lastLines) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
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
