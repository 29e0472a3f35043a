package dev.switchboard.tools;

/** Hears of every {@code /tools} call once it has finished; must not block. */
@FunctionalInterface
public interface ToolListener {
    ToolListener NONE = call -> {};

    void onCall(ToolCall call);
}
