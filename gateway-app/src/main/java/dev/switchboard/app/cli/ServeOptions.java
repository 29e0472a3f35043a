package dev.switchboard.app.cli;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's command-line settings; a null field was not given.
 *
 * @param config the configuration file ({@code --config})
 * @param demo whether to serve the built-in demo ({@code --demo})
 * @param host the address to bind ({@code --host})
 * @param port the port to bind ({@code --port})
 * @param modelsDir llama.cpp models directory ({@code --models-dir}), only without a config
 * @param modelsPreset llama.cpp preset INI file ({@code --models-preset}), only without a config
 * @param modelsMax models loaded at once, 0 for no limit ({@code --models-max})
 * @param modelsAutoload whether requests load models ({@code --no-models-autoload} gives false)
 * @param apiKeys accepted API keys ({@code --api-key}); empty when none were given
 * @param llamaServer the llama-server binary ({@code --llama-server}), only without a config
 * @param llamaServerArgs other llama-server arguments, passed to every child; only without a
 *     config
 * @param serverFlags llama-server's flags the gateway acts on (CORS, web UI, --hf-repo)
 * @param tools the {@code /tools} settings given ({@code --tools}, {@code --mcp-servers-json}, ...)
 */
public record ServeOptions(
        Path config,
        boolean demo,
        String host,
        Integer port,
        Path modelsDir,
        Path modelsPreset,
        Integer modelsMax,
        Boolean modelsAutoload,
        List<String> apiKeys,
        String llamaServer,
        List<String> llamaServerArgs,
        ServerFlags serverFlags,
        ToolsFlags.Overrides tools) {

    /** The backend the gateway runs without a configuration file, as llama-server's router does. */
    public static final String ROUTER_BACKEND = "llamacpp";

    public ServeOptions {
        apiKeys = List.copyOf(apiKeys);
        llamaServerArgs = List.copyOf(llamaServerArgs);
        Objects.requireNonNull(serverFlags, "serverFlags");
        tools = tools == null ? ToolsFlags.Overrides.NONE : tools;
    }

    /**
     * The configuration without a file: one llama.cpp backend named {@value #ROUTER_BACKEND} with
     * Hugging Face cache discovery, the models directory and preset given, and the remaining
     * llama-server arguments for every child; GPUs found automatically.
     */
    public AppConfig routerConfig() {
        Map<String, Object> options = new LinkedHashMap<>();
        if (modelsDir != null) {
            options.put("modelsDir", modelsDir.toString());
        }
        if (modelsPreset != null) {
            options.put("modelsPreset", modelsPreset.toString());
        }
        options.put("hfCache", true);
        if (llamaServer != null) {
            options.put("binary", llamaServer);
        }
        options.put("routerArgs", llamaServerArgs);
        if (serverFlags.hfRepo() != null) {
            options.put("hfRepo", serverFlags.hfRepo()); // a preset repository, or one model
        }
        BackendConfig backend = new BackendConfig(ROUTER_BACKEND, ROUTER_BACKEND, options, Path.of(""));
        AppConfig base = new AppConfig(
                new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(backend), List.of()),
                ServerSettings.defaults(),
                new GpuSetting.Auto(),
                List.of());
        return applyTo(base);
    }

    /** A configuration with the settings given on the command line put over it. */
    public AppConfig applyTo(AppConfig base) {
        ServerSettings server = base.server();
        SchedulerConfig.Builder scheduler = SchedulerConfig.from(base.gateway().scheduler());
        if (modelsMax != null) {
            scheduler.maxLoaded(modelsMax);
        }
        if (modelsAutoload != null) {
            scheduler.autoload(modelsAutoload);
        }
        GatewayConfig gateway = base.gateway();
        return base.withGateway(new GatewayConfig(scheduler.build(), gateway.backends(), gateway.models()))
                .withTools(tools.applyTo(base.tools()))
                .withServer(new ServerSettings(
                        host != null ? host : server.host(),
                        port != null ? port : server.port(),
                        apiKeys.isEmpty() ? server.apiKeys() : apiKeys,
                        server.maxBodyBytes(),
                        serverFlags.ui() != null ? serverFlags.ui() : server.webUi(),
                        serverFlags.cors(server.cors(), tools.any()),
                        server.debugFakeTiming(),
                        server.scopedKeys()));
    }
}
