package dev.switchboard.simulator.internal.cli;

/** Arguments the simulated engine would refuse at start-up. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
