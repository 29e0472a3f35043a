package dev.switchboard.core.spi;

/** What an engine child reports about itself on its output (llama.cpp's router child protocol). */
public sealed interface ChildSignal {

    /** The model is loading; {@code progress} lies in [0, 1], or is negative when unknown. */
    record Loading(double progress) implements ChildSignal {}

    /** The model is loaded and the engine serves requests. */
    record Ready() implements ChildSignal {}

    /** The engine released its memory and sleeps. */
    record Sleeping() implements ChildSignal {}
}
