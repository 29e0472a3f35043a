/**
 * The configuration file: {@link dev.switchboard.app.config.ConfigLoader} reads Switchboard YAML or
 * a llama-swap {@code config.yaml} into an immutable {@link dev.switchboard.app.config.AppConfig};
 * every problem is a {@link dev.switchboard.app.config.ConfigException} naming file, line and key.
 * {@link dev.switchboard.app.config.AppConfig#toYaml()} writes one back as Switchboard YAML.
 */
package dev.switchboard.app.config;
