package dev.switchboard.app.parity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whether processes still run, as tests that kill a gateway need to know it of its engines. */
public final class Pids {

    private Pids() {}

    /**
     * Whether the process still runs. A dead orphan stays a zombie until init reaps it, which some
     * init processes (a container's) do only every second or so; {@link ProcessHandle#isAlive()}
     * counts zombies as alive, Linux's {@code /proc/PID/stat} tells them apart.
     */
    public static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // after "PID (COMMAND) "
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false; // reaped meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
