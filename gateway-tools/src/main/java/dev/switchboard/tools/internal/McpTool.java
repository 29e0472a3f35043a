package dev.switchboard.tools.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One tool of an MCP server, listed as {@code SERVER_TOOL}. */
final class McpTool extends Tool {
    private final McpServers servers;
    private final McpServers.Definition definition;

    McpTool(McpServers servers, McpServers.Definition definition) {
        super(
                definition.server() + "_" + definition.name(),
                definition.server() + "_" + definition.name(),
                false,
                false,
                false);
        this.servers = servers;
        this.definition = definition;
    }

    @Override
    String type() {
        return "mcp";
    }

    @Override
    ObjectNode definition() {
        ObjectNode node = JSON.createObjectNode().put("type", "function");
        ObjectNode function = node.putObject("function");
        function.put("name", name);
        function.put("description", definition.description());
        ObjectNode parameters =
                definition.inputSchema() == null ? JSON.createObjectNode() : JSON.valueToTree(definition.inputSchema());
        function.set("parameters", parameters);
        return node;
    }

    @Override
    ObjectNode invoke(Call call) {
        ObjectNode arguments = call.params().deepCopy();
        // set from the request's headers for the built-in tools; an MCP server never asked for them
        arguments.remove(java.util.List.of("cwd", "runtime", "resp_type"));
        return servers.call(definition.server(), definition.name(), arguments);
    }
}
