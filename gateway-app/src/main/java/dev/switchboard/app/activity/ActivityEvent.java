package dev.switchboard.app.activity;

/** What {@link ActivityLog} tells its listeners, as it happens. Immutable. */
public sealed interface ActivityEvent {

    /** A request arrived for {@code model} (as named by the client). */
    record Started(long id, String model, String route) implements ActivityEvent {}

    /** The number of requests waiting for {@code model} to be ready changed. */
    record Queue(String model, int waiting) implements ActivityEvent {}

    /** A request finished. */
    record Finished(RequestRecord request) implements ActivityEvent {}
}
