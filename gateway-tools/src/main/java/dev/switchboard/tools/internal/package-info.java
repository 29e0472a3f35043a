/** The tools, their runtimes and the MCP client behind {@link dev.switchboard.tools.Tools}. */
package dev.switchboard.tools.internal;
