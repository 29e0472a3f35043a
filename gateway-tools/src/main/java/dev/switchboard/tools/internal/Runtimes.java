package dev.switchboard.tools.internal;

import dev.switchboard.tools.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a call runs, from llama-server's runtime spellings: empty for the host, {@code
 * ENGINE-container:ID} for a running container, {@code ssh:TARGET} for a host over ssh, and (for
 * {@code --tools-runtime} only) {@code ENGINE:IMAGE} for a container the gateway spawns and owns.
 * A target or id that could read as an option ({@code -oProxyCommand=...}, {@code --privileged})
 * is refused.
 */
final class Runtimes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Runtimes.class);
    private static final List<String> ENGINES = List.of("docker", "podman");

    /** A parsed container spec: attach to {@code arg} (an id) or spawn {@code arg} (an image). */
    record ContainerSpec(String engine, String arg, boolean attach) {
        static ContainerSpec parse(String spec) {
            for (String engine : ENGINES) {
                if (spec.startsWith(engine + "-container:")) {
                    return new ContainerSpec(engine, spec.substring(engine.length() + 11), true);
                }
                if (spec.startsWith(engine + ":")) {
                    return new ContainerSpec(engine, spec.substring(engine.length() + 1), false);
                }
            }
            return null;
        }
    }

    private final Confinement confinement;
    private final Set<String> allowedKinds;
    private final OwnedContainer owned;
    private final String staticSpec;

    /**
     * @param spec {@code --tools-runtime}, empty for the host; its kind is allowed by itself
     * @throws IllegalArgumentException when the spec is invalid or its container cannot start
     */
    Runtimes(String spec, Confinement confinement, Set<String> allowedKinds) {
        this.confinement = confinement;
        ContainerSpec container = ContainerSpec.parse(spec);
        try {
            if (container != null && !container.attach()) {
                this.owned = new OwnedContainer(container.engine(), container.arg());
                this.staticSpec = "";
            } else {
                this.owned = null;
                this.staticSpec = spec;
                if (!spec.isEmpty()) {
                    io(spec, "", Set.of(kind(spec))); // only validates it
                }
            }
        } catch (ToolException e) {
            throw new IllegalArgumentException("--tools-runtime: " + e.getMessage());
        }
        this.allowedKinds = spec.isEmpty() ? Set.copyOf(allowedKinds) : union(allowedKinds, kind(spec));
    }

    private static Set<String> union(Set<String> kinds, String kind) {
        java.util.HashSet<String> all = new java.util.HashSet<>(kinds);
        all.add(kind);
        return Set.copyOf(all);
    }

    /** The runtime a call without an {@code x-tool-runtime} header runs in. */
    String defaultSpec() {
        return owned != null ? owned.spec() : staticSpec;
    }

    /**
     * The IO for one call.
     *
     * @param header the {@code x-tool-runtime} header; empty for the default
     * @throws ToolException FAILED for an invalid spec, FORBIDDEN for a kind not allowed
     * @throws Confinement.Denied for a host working directory outside the roots
     */
    ToolIo forCall(String header, String cwd) {
        String spec = header.isEmpty() ? defaultSpec() : header;
        return io(spec, cwd, allowedKinds);
    }

    private ToolIo io(String spec, String cwd, Set<String> allowed) {
        if (spec.isEmpty()) {
            return new LocalIo(cwd, confinement);
        }
        ContainerSpec container = ContainerSpec.parse(spec);
        ToolIo io;
        if (container != null) {
            // spawning belongs to the runtime that owns the container, a call only attaches
            if (!container.attach()) {
                throw new ToolException(
                        ToolException.Kind.FAILED, "tool runtime must name a running container: " + spec);
            }
            if (!validContainerId(container.arg())) {
                throw new ToolException(ToolException.Kind.FAILED, "invalid container id: " + container.arg());
            }
            io = new IsolateIo.Container(container.engine(), container.arg(), cwd);
        } else if (spec.startsWith("ssh:")) {
            String target = spec.substring(4);
            if (!validSshTarget(target)) {
                throw new ToolException(ToolException.Kind.FAILED, "invalid ssh target: " + target);
            }
            io = new IsolateIo.Ssh(target, cwd);
        } else {
            // never fall back to the host: the caller asked for an isolate
            throw new ToolException(ToolException.Kind.FAILED, "unknown tool runtime: " + spec);
        }
        String kind = kind(spec);
        if (!allowed.contains(kind)) {
            throw new ToolException(
                    ToolException.Kind.FORBIDDEN,
                    "tool runtime kind '" + kind + "' is disabled (allow it with --tools-allow-runtime " + kind + ")");
        }
        return io;
    }

    private static String kind(String spec) {
        return spec.startsWith("ssh:") ? "ssh" : "container";
    }

    static boolean validSshTarget(String target) {
        return !target.isEmpty()
                && target.charAt(0) != '-'
                && target.chars().allMatch(c -> Character.isLetterOrDigit(c) || ".-_@".indexOf(c) >= 0);
    }

    static boolean validContainerId(String id) {
        return !id.isEmpty()
                && Character.isLetterOrDigit(id.charAt(0))
                && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || ".-_".indexOf(c) >= 0);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    /**
     * The container {@code --tools-runtime ENGINE:IMAGE} spawns: {@code ENGINE run --rm -i IMAGE
     * sh}, kept alive by its open stdin, respawned if it dies, removed at close.
     */
    private static final class OwnedContainer {
        private final String engine;
        private final String image;
        private Process client;
        private String id;

        OwnedContainer(String engine, String image) {
            if (image.isEmpty()) {
                throw new IllegalArgumentException("--tools-runtime " + engine + ":<image> requires an image name");
            }
            this.engine = engine;
            this.image = image;
            spawn();
        }

        synchronized String spec() {
            if (!client.isAlive()) {
                log.warn("{} tools runtime container '{}' died, respawning", engine, id);
                spawn();
            }
            return engine + "-container:" + id;
        }

        private void spawn() {
            Path cidFile;
            try {
                Path dir = Files.createTempDirectory("switchboard-tools-runtime");
                cidFile = dir.resolve("cid");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create a temporary directory: " + e.getMessage());
            }
            try {
                client = new ProcessBuilder(engine, "run", "--rm", "-i", "--cidfile", cidFile.toString(), image, "sh")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new IllegalArgumentException("failed to spawn " + engine + " container for tools runtime (image: "
                        + image + "): " + e.getMessage());
            }
            String cid = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cid.isEmpty() && client.isAlive() && System.nanoTime() < deadline) {
                try {
                    if (Files.exists(cidFile)) {
                        cid = Files.readString(cidFile, StandardCharsets.UTF_8).trim();
                    }
                    if (cid.isEmpty()) {
                        Thread.sleep(100);
                    }
                } catch (IOException e) {
                    // written as we read it; the next round sees it whole
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                Files.deleteIfExists(cidFile);
                Files.deleteIfExists(cidFile.getParent());
            } catch (IOException e) {
                // a temporary file; the OS cleans it
            }
            if (cid.isEmpty()) {
                Subprocess.killTree(client);
                throw new IllegalArgumentException(
                        "timed out waiting for " + engine + " container to start (image: " + image + ")");
            }
            id = cid;
        }

        synchronized void close() {
            // closing stdin ends the container's shell (its pid 1); --rm then removes it
            try {
                client.getOutputStream().close();
                if (!client.waitFor(10, TimeUnit.SECONDS)) {
                    Subprocess.killTree(client);
                }
            } catch (IOException e) {
                Subprocess.killTree(client);
            } catch (InterruptedException e) {
                Subprocess.killTree(client);
                Thread.currentThread().interrupt();
            }
        }
    }
}
