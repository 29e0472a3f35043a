/**
 * The gateway's HTTP server. {@link dev.switchboard.app.http.GatewayServer} is the whole public API;
 * the routes come in one class per API family: {@code OpenAiRoutes} (inference, model list), {@code
 * RouterRoutes} (llama.cpp's router API) and {@code AdminRoutes} (operator API, metrics).
 */
package dev.switchboard.app.http;
