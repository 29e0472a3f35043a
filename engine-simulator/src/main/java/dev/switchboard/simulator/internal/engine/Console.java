package dev.switchboard.simulator.internal.engine;

/**
 * The simulated engine's output: log lines on stderr, and protocol lines on stdout where a supervisor reads them, each
 * flushed whole so that no log line ever splits one.
 */
public final class Console {

    private Console() {}

    public static void log(String line) {
        synchronized (System.err) {
            System.err.println(line);
            System.err.flush();
        }
    }

    public static void protocol(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
