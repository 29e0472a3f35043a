package dev.switchboard.simulator.internal.cli;

import java.util.Locale;

/** Which llama.cpp router child protocol a simulated llama-server speaks on stdout. */
public enum ProtocolForm {
    /** Current builds: {@code cmd_child_to_router:state:{"state":...,"payload":...}}. */
    NEW,
    /** Older builds: {@code cmd_child_to_router:ready}, {@code :sleep} and {@code :info:<json>}. */
    LEGACY,
    /** No protocol lines at all. */
    NONE;

    static ProtocolForm parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sim-protocol must be new, legacy or none, not '" + text + "'");
        }
    }
}
