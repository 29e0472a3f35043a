package dev.switchboard.llamacpp;

import dev.switchboard.core.forward.HttpClients;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelPuller;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.llamacpp.discovery.CacheDirectories;
import dev.switchboard.llamacpp.discovery.HfCacheSource;
import dev.switchboard.llamacpp.discovery.ModelsDirSource;
import dev.switchboard.llamacpp.hub.HfDownloader;
import dev.switchboard.llamacpp.hub.HubClient;
import dev.switchboard.llamacpp.hub.HubModelPuller;
import dev.switchboard.llamacpp.internal.BackendOptions;
import dev.switchboard.llamacpp.internal.ChildLaunch;
import dev.switchboard.llamacpp.internal.ModelMemory;
import dev.switchboard.llamacpp.internal.RouterCatalog;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import dev.switchboard.llamacpp.preset.PresetOptions;
import dev.switchboard.llamacpp.preset.PresetSection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * llama-server in router mode, as a backend: models come from the download cache, a models
 * directory and a preset file, merged as the router merges them; each model runs in its own
 * llama-server child that speaks the router's stdin/stdout protocol. Built by {@link
 * LlamaCppBackendFactory}.
 */
public final class LlamaCppBackend implements Backend {

    /** Option: the hub to download from (a mirror), instead of {@code HF_ENDPOINT} or huggingface.co. */
    public static final String HF_ENDPOINT = "hfEndpoint";

    /**
     * Option: a hub repository, as llama-server's {@code --hf-repo} in router mode: its {@code
     * preset.ini} (fetched into the cache at start-up) serves as the preset file; a repository
     * without one is served as one model.
     */
    public static final String HF_REPO = "hfRepo";

    private final String name;
    private final BackendOptions options;
    private final RouterCatalog catalog;
    private final ModelPuller puller;
    private final ModelMemory memory = new ModelMemory();

    /**
     * Creates the backend; the cache is located from the process environment unless the {@code
     * cacheDir} option names it.
     *
     * @throws IllegalArgumentException when an option is malformed
     */
    public LlamaCppBackend(BackendConfig config) {
        this.name = config.name();
        this.options = BackendOptions.from(config);
        CacheDirectories cacheDirectories = options.cacheDir()
                .map(CacheDirectories::of)
                .orElseGet(() -> CacheDirectories.resolve(System.getenv(), Path.of(System.getProperty("user.home"))));
        // the HttpClient keeps its default of not following redirects, so the token stays on the hub
        Supplier<HttpClient> http = HttpClients.buildOnFirstUse(HttpClient.newBuilder());
        HubClient hub = config.string(HF_ENDPOINT)
                .map(endpoint ->
                        new HubClient(URI.create(endpoint), Optional.ofNullable(System.getenv("HF_TOKEN")), http))
                .orElseGet(() -> HubClient.fromEnvironment(System.getenv(), http));
        HfDownloader downloader = new HfDownloader(hub, cacheDirectories);
        this.puller = new HubModelPuller(downloader);
        Optional<Path> preset = options.modelsPreset();
        List<PresetSection> named = List.of();
        Optional<String> repo = config.string(HF_REPO);
        if (repo.isPresent()) {
            Optional<Path> remote = remotePreset(downloader, repo.get());
            if (remote.isPresent()) {
                preset = remote;
            } else {
                named = List.of(new PresetSection(
                        repo.get(),
                        0,
                        PresetOptions.fromCommandLine(List.of(LlamaArgs.HF_REPO.mainName(), repo.get()))));
            }
        }
        this.catalog = new RouterCatalog(
                name,
                options.hfCache() ? Optional.of(new HfCacheSource(cacheDirectories, name)) : Optional.empty(),
                options.modelsDir().map(dir -> new ModelsDirSource(dir, name)),
                preset,
                options.routerOptions(),
                named);
    }

    /**
     * The repository's {@code preset.ini} from the hub, as llama.cpp's router fetches it for {@code
     * --hf-repo}; empty for a repository without one (a model repository).
     */
    private static Optional<Path> remotePreset(HfDownloader downloader, String repo) {
        try {
            return downloader.presetFile(repo);
        } catch (IOException e) {
            throw new IllegalArgumentException("--hf-repo " + repo + ": " + e.getMessage(), e);
        }
    }

    /** Downloads {@code org/repo:QUANT} into the Hugging Face cache, as {@code llama-server -hf} does. */
    @Override
    public Optional<ModelPuller> puller() {
        return Optional.of(puller);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The cache, models directory and preset sources that are configured. Together they list every
     * model once: a model found in several is listed by the one that wins (preset over directory
     * over cache), with all its options merged.
     */
    @Override
    public List<ModelSource> sources() {
        return catalog.sources();
    }

    /**
     * From the model's GGUF headers and its arguments; none when no layer is offloaded or no file
     * is local yet, the file sizes when the headers are unreadable.
     */
    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        return memory.estimate(model);
    }

    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        return ChildLaunch.build(options, model, placement, context);
    }
}
