package dev.switchboard.app.cli;

import dev.switchboard.app.CorsSettings;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * llama-server's flags that the gateway acts on itself instead of passing them to the engines:
 * cross-origin access, the web UI and {@code --hf-repo} ({@link ToolsFlags} has the tools' own). Each may also come from its {@code LLAMA_ARG_*} variable without a configuration
 * file. A null field was not given.
 */
public final class ServerFlags {
    @Option(
            names = "--cors-origins",
            paramLabel = "ORIGINS",
            description = "allowed CORS origins, comma-separated, or localhost")
    String corsOrigins;

    @Option(names = "--cors-methods", paramLabel = "METHODS", description = "allowed CORS methods")
    String corsMethods;

    @Option(names = "--cors-headers", paramLabel = "HEADERS", description = "allowed CORS headers")
    String corsHeaders;

    @Option(names = "--cors-credentials", negatable = true, description = "allow CORS credentials (default: true)")
    Boolean corsCredentials;

    @Option(
            names = {"--ui", "--webui"},
            negatable = true,
            description = "serve the web UI (default: true)")
    Boolean ui;

    @Option(
            names = {"--ui-mcp-proxy", "--webui-mcp-proxy"},
            negatable = true,
            description = "the web UI's MCP CORS proxy")
    Boolean uiMcpProxy;

    @Option(
            names = {"-hf", "-hfr", "--hf-repo"},
            paramLabel = "REPO",
            description = "a Hub repository: its preset.ini, or a model to serve")
    String hfRepo;

    /** Fills what the command line left out from llama-server's variables. */
    ServerFlags withEnv(Map<String, String> env) {
        corsOrigins = or(corsOrigins, env, "LLAMA_ARG_CORS_ORIGINS");
        corsMethods = or(corsMethods, env, "LLAMA_ARG_CORS_METHODS");
        corsHeaders = or(corsHeaders, env, "LLAMA_ARG_CORS_HEADERS");
        hfRepo = or(hfRepo, env, "LLAMA_ARG_HF_REPO");
        return this;
    }

    private static String or(String given, Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "");
        return given != null || value.isBlank() ? given : value;
    }

    /**
     * The cross-origin settings: these flags over {@code base}. As llama-server does, enabling tools
     * or MCP servers without {@code --cors-origins} restricts origins to localhost.
     */
    public CorsSettings cors(CorsSettings base, boolean toolsEnabled) {
        String origins = corsOrigins != null ? corsOrigins : toolsEnabled ? CorsSettings.LOCALHOST : base.origins();
        return new CorsSettings(
                origins,
                corsMethods != null ? corsMethods : base.methods(),
                corsHeaders != null ? corsHeaders : base.headers(),
                corsCredentials != null ? corsCredentials : base.credentials());
    }

    /** {@code --ui}/{@code --no-ui}, null when not given. */
    public Boolean ui() {
        return ui;
    }

    public Boolean uiMcpProxy() {
        return uiMcpProxy;
    }

    /** {@code --hf-repo}: a Hub repository, null when not given. */
    public String hfRepo() {
        return hfRepo;
    }
}
