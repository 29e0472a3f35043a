/**
 * How configuration files are read: YAML nodes that know their line, and one reader per file
 * format. Not a public API.
 */
package dev.switchboard.app.config.internal;
