package dev.switchboard.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.tools.internal.ToolSet;

/**
 * llama-server's {@code /tools}: lists the tools and calls them. Built once from a {@link
 * ToolsConfig} at start-up (MCP servers are spawned then to list their tools) and closed at
 * shutdown, which cancels calls in flight and stops every child.
 *
 * <pre>{@code
 * try (Tools tools = Tools.start(config, call -> log.info("{}", call))) {
 *     ArrayNode list = tools.list();
 *     ObjectNode result = tools.call(new ToolRequest("read_file", params, cwd, "", ""));
 * }
 * }</pre>
 */
public interface Tools extends AutoCloseable {

    /**
     * @throws IllegalArgumentException for a configuration that cannot run: an unknown tool
     *     name, a root that does not exist, an invalid {@code --tools-runtime}
     */
    static Tools start(ToolsConfig config, ToolListener listener) {
        return ToolSet.start(config, listener);
    }

    /** Whether anything is offered; when not, {@code /tools} answers 403 {@code feature_disabled}. */
    boolean isOn();

    /** Every tool, as llama-server lists it: {@code display_name, tool, type, permissions, uses_cwd, definition}. */
    ArrayNode list();

    /**
     * Runs one tool. A tool that ran and failed answers {@code {"error": ...}}.
     *
     * @throws ToolException when the call cannot run at all
     */
    ObjectNode call(ToolRequest request);

    /**
     * Runs a streaming tool; {@code sink} hears its output on the calling thread.
     *
     * @throws ToolException before any output when the call cannot run at all
     */
    void stream(ToolRequest request, StreamSink sink);

    /** Where a streamed call's output goes. */
    interface StreamSink {
        /** A piece of output; false when the client went away (the call is stopped). */
        boolean chunk(String text);

        /** The end; {@code error} is empty when the call succeeded. */
        void done(String error);
    }

    /** Cancels calls in flight and stops every MCP server, container and command. */
    @Override
    void close();
}
