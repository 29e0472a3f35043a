package dev.switchboard.tools.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs every operation as a command inside an isolate (a running container, a host over ssh),
 * which must offer a POSIX sh, cat, wc, mkdir, dirname, find and timeout. Arguments travel as
 * positional parameters ({@code sh -c '... "$1"' _ PATH}), never spliced into a script.
 */
abstract class IsolateIo implements ToolIo {
    /** The limit of the helper commands (stat, mkdir, ls); tool commands take their own. */
    private static final int EXEC_TIMEOUT_SECONDS = 15;

    private static final long READ_MAX_BYTES = 64L * 1024 * 1024;

    private final String cwd;

    IsolateIo(String cwd) {
        this.cwd = cwd;
    }

    /** {@code inner}, a complete POSIX argv, as the host-side argv that runs it in the isolate. */
    abstract List<String> wrap(List<String> inner, boolean needsStdin);

    @Override
    public boolean isHost() {
        return false;
    }

    @Override
    public String resolve(String path) {
        if (cwd.isEmpty() || path.startsWith("/")) {
            return path;
        }
        return cwd + "/" + path;
    }

    @Override
    public boolean isDirectory(String path) {
        return test("-d", resolve(path));
    }

    @Override
    public boolean isRegularFile(String path) {
        return test("-f", resolve(path));
    }

    @Override
    public long fileSize(String path) {
        Subprocess.Result res = exec(List.of("sh", "-c", "wc -c < \"$1\"", "_", resolve(path)), 64, true);
        if (res.exitCode() != 0 || res.timedOut()) {
            return -1;
        }
        try {
            return Long.parseLong(res.text().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public byte[] readFile(String path) {
        // stderr must not be spliced into the file's bytes
        Subprocess.Result res = exec(List.of("cat", "--", resolve(path)), READ_MAX_BYTES, false);
        return res.exitCode() == 0 && !res.timedOut() ? res.output() : null;
    }

    @Override
    public boolean writeFile(String path, byte[] content) {
        // the content travels on stdin: no argv for the far side to re-parse
        List<String> argv =
                wrap(List.of("sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"", "_", resolve(path)), true);
        Subprocess.Result res = Subprocess.start(argv, null, content, true, 4096, EXEC_TIMEOUT_SECONDS, null)
                .join();
        return res.exitCode() == 0 && !res.timedOut();
    }

    @Override
    public Listing list(String base, int maxDepth, Kind kind) {
        String abs = resolve(base);
        if (!isDirectory(base)) {
            return new Listing(List.of(), "path does not exist or is not a directory", false);
        }
        List<Entry> entries = new ArrayList<>();
        if (kind == Kind.FILES) {
            Subprocess.Result git = exec(
                    List.of("sh", "-c", "cd \"$1\" && git ls-files --cached --others --exclude-standard", "_", abs),
                    GIT_LS_FILES_MAX_OUTPUT,
                    true);
            if (git.exitCode() == 0 && !git.timedOut()) {
                for (String rel : ToolIo.lines(git.text())) {
                    if (maxDepth == 0 || ToolIo.depth(rel) <= maxDepth) {
                        entries.add(new Entry(rel, false));
                    }
                }
                return new Listing(entries, "", false);
            }
        }
        boolean truncated = false;
        if (kind != Kind.FILES) {
            Subprocess.Result dirs = find(abs, maxDepth, true);
            truncated |= dirs.timedOut();
            lines(dirs).forEach(rel -> entries.add(new Entry(rel, true)));
        }
        if (kind != Kind.DIRS) {
            Subprocess.Result files = find(abs, maxDepth, false);
            truncated |= files.timedOut();
            lines(files).forEach(rel -> entries.add(new Entry(rel, false)));
        }
        return new Listing(entries, "", truncated);
    }

    /** One find pass; junk directories are listed but pruned, and busybox's find does as well as GNU's. */
    private Subprocess.Result find(String abs, int maxDepth, boolean dirs) {
        StringBuilder cmd = new StringBuilder("cd \"$1\" && find . -mindepth 1");
        if (maxDepth > 0) {
            cmd.append(" -maxdepth ").append(maxDepth);
        }
        cmd.append(" \\( ");
        cmd.append(String.join(" -o ", JUNK_DIRS.stream().map(n -> "-name " + n).toList()));
        cmd.append(" \\) -prune");
        cmd.append(dirs ? " -print -o -type d -print" : " -o -type f -print");
        return exec(List.of("sh", "-c", cmd.toString(), "_", abs), GIT_LS_FILES_MAX_OUTPUT, true);
    }

    private static List<String> lines(Subprocess.Result res) {
        return ToolIo.lines(res.text()).stream()
                .map(line -> line.startsWith("./") ? line.substring(2) : line)
                .toList();
    }

    /** Wrapped in the isolate's own timeout: killing the host-side client leaves the far side running. */
    @Override
    public CompletableFuture<Subprocess.Result> run(
            List<String> argv, long maxOutput, int timeoutSeconds, Subprocess.Chunks chunks) {
        List<String> inner = new ArrayList<>(List.of("timeout", timeoutSeconds + "s"));
        inner.addAll(argv);
        return Subprocess.start(wrap(withCwd(inner), true), null, null, true, maxOutput, timeoutSeconds + 5, chunks);
    }

    private List<String> withCwd(List<String> inner) {
        if (cwd.isEmpty()) {
            return inner;
        }
        // 127 is what a shell reports for a command it could not run
        List<String> out = new ArrayList<>(List.of("sh", "-c", "cd \"$1\" || exit 127; shift; exec \"$@\"", "_", cwd));
        out.addAll(inner);
        return out;
    }

    private Subprocess.Result exec(List<String> inner, long maxOutput, boolean combineStderr) {
        return Subprocess.start(wrap(inner, false), null, null, combineStderr, maxOutput, EXEC_TIMEOUT_SECONDS, null)
                .join();
    }

    private boolean test(String flag, String path) {
        Subprocess.Result res = exec(List.of("sh", "-c", "[ " + flag + " \"$1\" ]", "_", path), 4096, true);
        return res.exitCode() == 0 && !res.timedOut();
    }

    /** A running container, driven through {@code ENGINE exec}; docker and podman take the same verbs. */
    static final class Container extends IsolateIo {
        private final String engine;
        private final String id;

        Container(String engine, String id, String cwd) {
            super(cwd);
            this.engine = engine;
            this.id = id;
        }

        @Override
        List<String> wrap(List<String> inner, boolean needsStdin) {
            List<String> argv = new ArrayList<>(List.of(engine, "exec"));
            if (needsStdin) {
                argv.add("-i");
            }
            argv.add(id);
            argv.addAll(inner);
            return argv;
        }
    }

    /** A host over ssh: remoting, not isolation; key-based, with a host key trusted beforehand. */
    static final class Ssh extends IsolateIo {
        private final String target;

        Ssh(String target, String cwd) {
            super(cwd);
            this.target = target;
        }

        @Override
        List<String> wrap(List<String> inner, boolean needsStdin) {
            // no console: a prompt would hang the call
            List<String> argv = new ArrayList<>(List.of(
                    "ssh",
                    "-o",
                    "BatchMode=yes",
                    "-o",
                    "PasswordAuthentication=no",
                    "-o",
                    "KbdInteractiveAuthentication=no",
                    "-o",
                    "StrictHostKeyChecking=yes"));
            if (!needsStdin) {
                argv.add("-n");
            }
            argv.add(target);
            // the remote shell re-parses the command line, so it travels as one quoted word
            argv.add(quote(inner));
            return argv;
        }

        private static String quote(List<String> argv) {
            StringBuilder out = new StringBuilder();
            for (String arg : argv) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
            return out.toString();
        }
    }
}
