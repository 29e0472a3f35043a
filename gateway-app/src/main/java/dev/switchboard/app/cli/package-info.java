/**
 * The command line, spelled as llama-server spells it: {@link dev.switchboard.app.cli.Cli} turns
 * arguments and environment into an {@link dev.switchboard.app.cli.Invocation}.
 */
package dev.switchboard.app.cli;
