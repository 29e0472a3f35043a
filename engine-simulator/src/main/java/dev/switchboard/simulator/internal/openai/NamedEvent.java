package dev.switchboard.simulator.internal.openai;

/**
 * A server-sent event with an {@code event:} line, as the Responses and Messages APIs send them.
 *
 * @param event the event name, the same as the payload's {@code type}
 * @param data the payload, written as JSON
 */
public record NamedEvent(String event, Object data) {}
