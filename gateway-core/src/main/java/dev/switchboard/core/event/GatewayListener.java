package dev.switchboard.core.event;

/** Receives gateway events in the order they happened, on one dispatch thread; keep it quick. */
@FunctionalInterface
public interface GatewayListener {
    void onEvent(GatewayEvent event);
}
