package dev.switchboard.tools;

import java.time.Duration;

/**
 * One finished {@code /tools} call, as a {@link ToolListener} hears of it.
 *
 * @param tool the tool's name
 * @param type {@code builtin} or {@code mcp}
 * @param outcome {@code ok}, {@code error} (the tool reported one) or {@code rejected} (it never
 *     ran)
 * @param detail the error message; empty when the call succeeded
 * @param took how long it ran
 */
public record ToolCall(String tool, String type, String outcome, String detail, Duration took) {}
