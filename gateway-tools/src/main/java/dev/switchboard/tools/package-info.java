/**
 * llama.cpp's {@code /tools} at the gateway, for every engine: the built-in file and shell tools
 * with llama-server's names, parameters and result shapes, and stdio MCP servers through the
 * official MCP Java SDK. {@link dev.switchboard.tools.Tools} is the entry point; {@link
 * dev.switchboard.tools.ToolsConfig} says what it offers.
 */
package dev.switchboard.tools;
