package dev.switchboard.app.cli;

import java.nio.file.Path;
import java.util.Objects;

/** What the command line asks for. */
public sealed interface Invocation {

    /** Run the gateway. */
    record Serve(ServeOptions options) implements Invocation {
        public Serve {
            Objects.requireNonNull(options, "options");
        }
    }

    /** {@code switchboard convert FILE}: print a llama-swap file as Switchboard YAML. */
    record Convert(Path file) implements Invocation {
        public Convert {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * Print a text and exit: help and version (status 0, for standard output) or a usage error
     * (status 2, for standard error).
     */
    record Exit(int status, String text) implements Invocation {
        public Exit {
            Objects.requireNonNull(text, "text");
        }

        public boolean isError() {
            return status != 0;
        }
    }
}
