package dev.switchboard.core.spi;

/**
 * What the core decided for a launch that the backend needs to know.
 *
 * @param port the free local port the engine must listen on
 * @param gatewayPort the gateway's own HTTP port (llama.cpp children receive it as {@code
 *     LLAMA_SERVER_ROUTER_PORT}); 0 when the gateway has no HTTP server
 */
public record LaunchContext(int port, int gatewayPort) {}
