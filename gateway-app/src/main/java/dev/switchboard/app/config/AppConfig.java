package dev.switchboard.app.config;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.app.config.internal.SwitchboardWriter;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.tools.ToolsConfig;
import java.util.List;
import java.util.Objects;

/**
 * Everything the application needs to start: what the gateway runs, how the HTTP server listens
 * and where GPU memory is read from.
 *
 * @param gateway the scheduler, backends and declared models
 * @param server the HTTP server's settings
 * @param gpus where the gateway learns about GPUs
 * @param warnings settings that were read but are not honoured (llama-swap keys Switchboard does
 *     not support), each naming the file, line and key; shown at start-up
 * @param activity how much of the traffic the activity view keeps
 * @param tools what {@code /tools} offers (off unless configured)
 */
public record AppConfig(
        GatewayConfig gateway,
        ServerSettings server,
        GpuSetting gpus,
        List<String> warnings,
        ActivitySettings activity,
        ToolsConfig tools) {

    public AppConfig {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(gpus, "gpus");
        Objects.requireNonNull(activity, "activity");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(tools, "tools");
    }

    /** With the activity log at its defaults and {@code /tools} off. */
    public AppConfig(GatewayConfig gateway, ServerSettings server, GpuSetting gpus, List<String> warnings) {
        this(gateway, server, gpus, warnings, ActivitySettings.defaults(), ToolsConfig.disabled());
    }

    public AppConfig withActivity(ActivitySettings value) {
        return new AppConfig(gateway, server, gpus, warnings, value, tools);
    }

    public AppConfig withGateway(GatewayConfig value) {
        return new AppConfig(value, server, gpus, warnings, activity, tools);
    }

    public AppConfig withServer(ServerSettings value) {
        return new AppConfig(gateway, value, gpus, warnings, activity, tools);
    }

    public AppConfig withTools(ToolsConfig value) {
        return new AppConfig(gateway, server, gpus, warnings, activity, value);
    }

    /**
     * This configuration as a Switchboard YAML file that {@link ConfigLoader} reads back to the
     * same configuration (warnings aside); settings at their defaults are left out. {@code
     * switchboard convert} prints a llama-swap file this way.
     */
    public String toYaml() {
        return SwitchboardWriter.write(this);
    }
}
