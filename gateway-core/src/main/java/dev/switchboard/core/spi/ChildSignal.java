package dev.switchboard.core.spi;

import java.util.Map;

/** What an engine child reports about itself on its output (llama.cpp's router child protocol). */
public sealed interface ChildSignal {

    /**
     * The model is loading.
     *
     * @param progress the overall progress in [0, 1], or negative when unknown
     * @param detail the engine's own account, as it wrote it (llama.cpp: {@code stages}, {@code
     *     current} and {@code value}), or empty
     */
    record Loading(double progress, Map<String, Object> detail) implements ChildSignal {
        public Loading {
            detail = Map.copyOf(detail);
        }

        public Loading(double progress) {
            this(progress, Map.of());
        }
    }

    /**
     * The model is loaded and the engine serves requests.
     *
     * @param info what the engine says about the loaded model (llama.cpp: its model entry), or empty
     */
    record Ready(Map<String, Object> info) implements ChildSignal {
        public Ready {
            info = Map.copyOf(info);
        }

        public Ready() {
            this(Map.of());
        }
    }

    /** The engine released its memory and sleeps. */
    record Sleeping() implements ChildSignal {}
}
