package dev.switchboard.core.spi;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run an engine for one model, as a backend builds it and the core's supervisor executes it.
 * An empty command means there is no process to run: the engine already listens at {@code baseUri}
 * (a remote upstream).
 *
 * @param command program and arguments; empty for a remote upstream
 * @param environment variables added to the gateway's environment
 * @param workingDirectory the child's working directory, or {@code null} for the gateway's
 * @param baseUri where the engine serves HTTP, such as {@code http://127.0.0.1:41234}
 * @param healthPath the path polled for readiness (200 means ready)
 * @param protocol the child's output protocol, {@link ChildProtocol#NONE} when it has none
 * @param stopLine a line written to the child's stdin to ask it to exit, or {@code null}
 * @param stopCommand a command run to stop the engine (llama-swap's {@code cmdStop}), or empty
 * @param upstreamModel the model name the engine expects in request bodies
 * @param requestHeaders headers added to every forwarded request (an upstream API key)
 * @param startTimeout how long the engine may take to become ready
 * @param maxConnections the most connections the gateway opens to the engine at once, idle keep-alive
 *     ones included, requests past it waiting for one; 0 for no limit. For an engine that serves each
 *     connection on one of a fixed number of HTTP workers (llama-server): more connections than free
 *     workers, arriving together, can wait unserved until another connection closes
 */
public record LaunchSpec(
        List<String> command,
        Map<String, String> environment,
        Path workingDirectory,
        URI baseUri,
        String healthPath,
        ChildProtocol protocol,
        String stopLine,
        List<String> stopCommand,
        String upstreamModel,
        Map<String, String> requestHeaders,
        Duration startTimeout,
        int maxConnections) {

    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(healthPath, "healthPath");
        Objects.requireNonNull(protocol, "protocol");
        stopCommand = List.copyOf(stopCommand);
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        requestHeaders = Map.copyOf(requestHeaders);
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be 0 (no limit) or more, not " + maxConnections);
        }
    }

    /** Whether there is a process to start, as opposed to a remote upstream. */
    public boolean hasProcess() {
        return !command.isEmpty();
    }

    public static Builder builder(URI baseUri, String upstreamModel) {
        return new Builder(baseUri, upstreamModel);
    }

    /**
     * Builds a {@link LaunchSpec}; defaults: {@code /health}, no protocol, a 10-minute start timeout,
     * no connection limit.
     */
    public static final class Builder {
        private List<String> command = List.of();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private final URI baseUri;
        private String healthPath = "/health";
        private ChildProtocol protocol = ChildProtocol.NONE;
        private String stopLine;
        private List<String> stopCommand = List.of();
        private final String upstreamModel;
        private final Map<String, String> requestHeaders = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofMinutes(10);
        private int maxConnections;

        private Builder(URI baseUri, String upstreamModel) {
            this.baseUri = baseUri;
            this.upstreamModel = upstreamModel;
        }

        public Builder command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        public Builder healthPath(String path) {
            this.healthPath = path;
            return this;
        }

        public Builder protocol(ChildProtocol protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder stopLine(String line) {
            this.stopLine = line;
            return this;
        }

        public Builder stopCommand(List<String> command) {
            this.stopCommand = List.copyOf(command);
            return this;
        }

        public Builder requestHeader(String name, String value) {
            requestHeaders.put(name, value);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        public LaunchSpec build() {
            return new LaunchSpec(
                    command,
                    environment,
                    workingDirectory,
                    baseUri,
                    healthPath,
                    protocol,
                    stopLine,
                    stopCommand,
                    upstreamModel,
                    requestHeaders,
                    startTimeout,
                    maxConnections);
        }
    }
}
