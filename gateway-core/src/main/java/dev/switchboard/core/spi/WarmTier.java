package dev.switchboard.core.spi;

import java.io.IOException;
import java.net.URI;

/**
 * An engine's cheap way to give GPU memory back without exiting (vLLM sleep mode, SGLang memory
 * release) and to take it again, much faster than a cold start.
 */
public interface WarmTier {

    /** Releases the engine's GPU memory; the process keeps running. */
    void sleep(URI engine) throws IOException, InterruptedException;

    /** Takes the GPU memory again; returns once the engine can serve. */
    void wake(URI engine) throws IOException, InterruptedException;
}
