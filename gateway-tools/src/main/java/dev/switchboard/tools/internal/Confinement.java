package dev.switchboard.tools.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories the built-in tools may touch on the host. A path is checked after resolving
 * every symbolic link in it, so neither {@code ..} nor a link inside a root that points out of it
 * escapes; a path that does not exist yet is checked through its nearest existing parent, and a
 * dangling link is refused (writing through it would create its target, anywhere).
 */
final class Confinement {
    /** A path outside every root. */
    static final class Denied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Denied(String message) {
            super(message);
        }
    }

    private final List<Path> roots;

    private Confinement(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * @throws IllegalArgumentException when a root does not exist
     */
    static Confinement of(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots.isEmpty() ? List.of(Path.of("")) : roots) {
            try {
                Path path = root.toAbsolutePath().toRealPath();
                if (!Files.isDirectory(path)) {
                    throw new IllegalArgumentException("tool root is not a directory: " + root);
                }
                real.add(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("tool root does not exist: " + root);
            }
        }
        return new Confinement(real);
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * The real path of {@code absolute}.
     *
     * @throws Denied when it lies outside every root
     */
    Path check(String absolute) {
        Path real;
        try {
            real = realPath(Path.of(absolute).normalize());
        } catch (InvalidPathException e) {
            throw new Denied("invalid path: " + absolute);
        }
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return real;
            }
        }
        throw new Denied("access denied: " + absolute + " is outside the allowed directories");
    }

    private static Path realPath(Path path) {
        Path existing = path;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return rest == null ? real : real.resolve(rest);
            } catch (NoSuchFileException e) {
                if (Files.isSymbolicLink(existing)) {
                    throw new Denied("access denied: " + existing + " is a dangling symbolic link");
                }
            } catch (IOException e) {
                throw new Denied("cannot resolve " + path + ": " + e.getMessage());
            }
            Path name = existing.getFileName();
            if (name == null) {
                break;
            }
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        throw new Denied("cannot resolve " + path);
    }
}
