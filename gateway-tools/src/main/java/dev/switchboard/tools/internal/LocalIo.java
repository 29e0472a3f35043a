package dev.switchboard.tools.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's own host, confined to the allowed roots: every path is checked before it is
 * touched, and commands run only in a working directory inside a root.
 */
final class LocalIo implements ToolIo {
    private final String cwd;
    private final Confinement confinement;

    /**
     * @param cwd the working directory (empty: the first root)
     * @throws Confinement.Denied when {@code cwd} lies outside the roots
     */
    LocalIo(String cwd, Confinement confinement) {
        this.confinement = confinement;
        String dir = cwd.isEmpty() ? confinement.roots().getFirst().toString() : expandHome(cwd);
        Path real = confinement.check(Path.of(dir).toAbsolutePath().normalize().toString());
        if (!Files.isDirectory(real)) {
            throw new Confinement.Denied("working directory does not exist: " + cwd);
        }
        this.cwd = real.toString();
    }

    String cwd() {
        return cwd;
    }

    @Override
    public boolean isHost() {
        return true;
    }

    @Override
    public String resolve(String path) {
        Path full = Path.of(expandHome(path));
        if (!full.isAbsolute()) {
            full = Path.of(cwd).resolve(full);
        }
        // "." and ".." never reach git or the client
        return full.normalize().toString();
    }

    private Path checked(String path) {
        return confinement.check(resolve(path));
    }

    @Override
    public boolean isDirectory(String path) {
        return Files.isDirectory(checked(path));
    }

    @Override
    public boolean isRegularFile(String path) {
        return Files.isRegularFile(checked(path));
    }

    @Override
    public long fileSize(String path) {
        try {
            return Files.size(checked(path));
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public byte[] readFile(String path) {
        try {
            return Files.readAllBytes(checked(path));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean writeFile(String path, byte[] content) {
        Path file = checked(path);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, content);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Listing list(String base, int maxDepth, Kind kind) {
        Path dir = checked(base);
        if (!Files.isDirectory(dir)) {
            return new Listing(List.of(), "path does not exist or is not a directory", false);
        }
        long deadline = System.nanoTime() + LIST_TIMEOUT_SECONDS * 1_000_000_000L;
        if (kind == Kind.FILES) {
            // git honours .gitignore; it cannot list directories, so only files come from it
            Subprocess.Result git = run(
                            List.of(
                                    "git",
                                    "-C",
                                    dir.toString(),
                                    "ls-files",
                                    "--cached",
                                    "--others",
                                    "--exclude-standard"),
                            GIT_LS_FILES_MAX_OUTPUT,
                            LIST_TIMEOUT_SECONDS,
                            null)
                    .join();
            if (git.exitCode() == 0 && !git.timedOut()) {
                List<Entry> entries = new ArrayList<>();
                for (String rel : ToolIo.lines(git.text())) {
                    if ((maxDepth == 0 || ToolIo.depth(rel) <= maxDepth) && Files.isRegularFile(dir.resolve(rel))) {
                        entries.add(new Entry(rel, false));
                    }
                }
                return new Listing(entries, "", false);
            }
        }
        return walk(dir, maxDepth, kind, deadline);
    }

    /** A depth-first walk that never follows a link (it can loop back to an ancestor). */
    private static Listing walk(Path base, int maxDepth, Kind kind, long deadline) {
        record Dir(Path path, String rel, int depth) {}
        List<Entry> result = new ArrayList<>();
        boolean truncated = false;
        Deque<Dir> stack = new ArrayDeque<>();
        stack.push(new Dir(base, "", 0));
        while (!stack.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return new Listing(result, "", true);
            }
            Dir dir = stack.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.path())) {
                stream.forEach(children::add);
            } catch (IOException | RuntimeException e) {
                truncated = true;
                continue;
            }
            children.sort(null);
            for (Path child : children) {
                String name = child.getFileName().toString();
                String rel = dir.rel().isEmpty() ? name : dir.rel() + "/" + name;
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(child, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue;
                }
                if (attrs.isDirectory()) {
                    if (kind != Kind.FILES) {
                        result.add(new Entry(rel, true));
                    }
                    // junk directories stay selectable but are never walked
                    boolean link = Files.isSymbolicLink(child);
                    if (!JUNK_DIRS.contains(name) && !link && (maxDepth == 0 || dir.depth() + 1 < maxDepth)) {
                        stack.push(new Dir(child, rel, dir.depth() + 1));
                    }
                } else if (attrs.isRegularFile() && kind != Kind.DIRS) {
                    result.add(new Entry(rel, false));
                }
            }
        }
        return new Listing(result, "", truncated);
    }

    @Override
    public CompletableFuture<Subprocess.Result> run(
            List<String> argv, long maxOutput, int timeoutSeconds, Subprocess.Chunks chunks) {
        return Subprocess.start(argv, Path.of(cwd), null, true, maxOutput, timeoutSeconds, chunks);
    }

    private static String expandHome(String path) {
        if (!path.startsWith("~") || (path.length() > 1 && path.charAt(1) != '/')) {
            return path;
        }
        String home = System.getProperty("user.home", "");
        return home.isEmpty() ? path : home + path.substring(1);
    }
}
