package dev.switchboard.tools.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a built-in tool reads, writes and runs: the gateway's host, a container or a host over
 * ssh. Paths are strings because an isolate's paths are POSIX whatever the gateway runs on.
 */
interface ToolIo {
    /** Directories a listing reports but never descends into: they can be enormous. */
    List<String> JUNK_DIRS = List.of(
            ".git",
            ".svn",
            ".hg",
            "node_modules",
            "__pycache__",
            ".venv",
            "venv",
            "dist",
            "build",
            "target",
            ".cache",
            ".idea",
            ".vscode");

    /** The budget of one listing, in seconds. */
    int LIST_TIMEOUT_SECONDS = 15;

    long GIT_LS_FILES_MAX_OUTPUT = 8L * 1024 * 1024;

    enum Kind {
        FILES,
        DIRS,
        ALL
    }

    /** One listed entry; {@code rel} is '/'-separated, relative to the listed base. */
    record Entry(String rel, boolean dir) {}

    /**
     * A listing; {@code error} is set when the base is not a directory, {@code truncated} when the
     * walk could not see everything.
     */
    record Listing(List<Entry> entries, String error, boolean truncated) {}

    /** {@code path} resolved against the working directory; absolute paths stay as they are. */
    String resolve(String path);

    boolean isDirectory(String path);

    boolean isRegularFile(String path);

    /** The file's size, or -1 when it cannot be read. */
    long fileSize(String path);

    /** The file's bytes, or null when it cannot be read. */
    byte[] readFile(String path);

    boolean writeFile(String path, byte[] content);

    /** Entries under {@code base} (already resolved); {@code maxDepth} 0 is unlimited, 1 direct children. */
    Listing list(String base, int maxDepth, Kind kind);

    /** Runs {@code argv} in the working directory. */
    CompletableFuture<Subprocess.Result> run(
            List<String> argv, long maxOutput, int timeoutSeconds, Subprocess.Chunks chunks);

    /** Whether this runs on the gateway's host (and so may use the host's shell and OS name). */
    boolean isHost();

    /** Lines of a command's output, trimmed of {@code \r}, empty ones dropped. */
    static List<String> lines(String text) {
        return text.lines()
                .map(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line)
                .filter(line -> !line.isEmpty())
                .map(line -> line.replace('\\', '/'))
                .toList();
    }

    /** The depth of a '/'-separated relative path: "a/b/c" is 3. */
    static int depth(String rel) {
        return 1 + (int) rel.chars().filter(c -> c == '/').count();
    }
}
