package dev.switchboard.llamacpp.internal;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.llamacpp.discovery.HfCacheSource;
import dev.switchboard.llamacpp.discovery.HfReference;
import dev.switchboard.llamacpp.discovery.ModelFiles;
import dev.switchboard.llamacpp.discovery.ModelMetadata;
import dev.switchboard.llamacpp.discovery.ModelsDirSource;
import dev.switchboard.llamacpp.gguf.GgufFile;
import dev.switchboard.llamacpp.gguf.GgufReader;
import dev.switchboard.llamacpp.preset.LlamaArg;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import dev.switchboard.llamacpp.preset.LlamaBooleans;
import dev.switchboard.llamacpp.preset.PresetException;
import dev.switchboard.llamacpp.preset.PresetFile;
import dev.switchboard.llamacpp.preset.PresetOptions;
import dev.switchboard.llamacpp.preset.PresetParser;
import dev.switchboard.llamacpp.preset.PresetSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Combines the three model sources of llama-server's router into one list, as {@code
 * server_models::load_models} does: cached models, then the models directory (a model in both is
 * the directory's), then preset sections, which override a discovered model of the same name or
 * define a new one. Every model's options are cascaded with {@link PresetOptions#merge}, the
 * router's own command line winning.
 *
 * <p>Options the router owns are dropped: TLS, API key and {@code models-*} settings everywhere,
 * and the model location and alias from the router's command line.
 */
public final class RouterCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(RouterCatalog.class);

    /** llama-server's {@code DEFAULT_STOP_TIMEOUT}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final List<LlamaArg> RESERVED = List.of(
            LlamaArgs.SSL_KEY_FILE,
            LlamaArgs.SSL_CERT_FILE,
            LlamaArgs.API_KEY,
            LlamaArgs.MODELS_DIR,
            LlamaArgs.MODELS_MAX,
            LlamaArgs.MODELS_PRESET,
            LlamaArgs.MODELS_AUTOLOAD);
    private static final List<LlamaArg> MODEL_ARGS =
            List.of(LlamaArgs.MODEL, LlamaArgs.MMPROJ, LlamaArgs.ALIAS, LlamaArgs.HF_REPO);
    /** Set by the backend per launch, or read by the router: never part of a model's arguments. */
    private static final List<LlamaArg> ROUTER_SIDE =
            List.of(LlamaArgs.ALIAS, LlamaArgs.TAGS, LlamaArgs.HOST, LlamaArgs.PORT);

    private final String backend;
    private final Optional<HfCacheSource> cache;
    private final Optional<ModelsDirSource> modelsDir;
    private final Optional<Path> presetFile;
    private final PresetOptions routerOptions;
    private final List<PresetSection> extraSections;

    public RouterCatalog(
            String backend,
            Optional<HfCacheSource> cache,
            Optional<ModelsDirSource> modelsDir,
            Optional<Path> presetFile,
            PresetOptions routerOptions) {
        this(backend, cache, modelsDir, presetFile, routerOptions, List.of());
    }

    /**
     * @param extraSections models named on the router's command line ({@code --hf-repo} of a
     *     repository without presets), listed as if a preset file had a section for each
     */
    public RouterCatalog(
            String backend,
            Optional<HfCacheSource> cache,
            Optional<ModelsDirSource> modelsDir,
            Optional<Path> presetFile,
            PresetOptions routerOptions,
            List<PresetSection> extraSections) {
        this.backend = backend;
        this.cache = cache;
        this.modelsDir = modelsDir;
        this.presetFile = presetFile;
        this.routerOptions = routerOptions.without(RESERVED).without(MODEL_ARGS);
        this.extraSections = List.copyOf(extraSections);
    }

    /** One source per configured origin, each listing the merged models that end up from it. */
    public List<ModelSource> sources() {
        List<ModelSource> sources = new ArrayList<>();
        cache.ifPresent(c -> sources.add(view(ModelMetadata.CACHE, c.describe())));
        modelsDir.ifPresent(d -> sources.add(view(ModelMetadata.MODELS_DIR, d.describe())));
        if (presetFile.isPresent() || !extraSections.isEmpty()) {
            sources.add(view(
                    ModelMetadata.PRESET,
                    presetFile
                            .map(p -> "models-preset " + p)
                            .orElseGet(() ->
                                    "--hf-repo " + extraSections.getFirst().name())));
        }
        return sources;
    }

    private ModelSource view(String origin, String description) {
        return new ModelSource() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public List<ModelDescriptor> scan() throws IOException {
                return RouterCatalog.this.scan().stream()
                        .filter(m -> origin.equals(m.metadata().get(ModelMetadata.ORIGIN)))
                        .toList();
            }
        };
    }

    /** Every model of every source, merged. */
    public List<ModelDescriptor> scan() throws IOException {
        List<ModelDescriptor> cached = cache.isPresent() ? cache.get().scan() : List.of();
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (ModelDescriptor model : cached) {
            candidates.put(model.id(), Candidate.discovered(model));
        }
        for (ModelDescriptor model : modelsDir.isPresent() ? modelsDir.get().scan() : List.<ModelDescriptor>of()) {
            candidates.put(model.id(), Candidate.discovered(model));
        }
        PresetFile preset = presetFile.isPresent()
                ? PresetParser.parse(presetFile.get())
                : new PresetFile(Path.of(""), PresetOptions.empty(), List.of());
        List<PresetSection> sections = new ArrayList<>(preset.sections());
        sections.addAll(extraSections);
        for (PresetSection section : sections) {
            Candidate existing = candidates.get(section.name());
            candidates.put(
                    section.name(), existing != null ? existing.withSection(section) : Candidate.presetOnly(section));
        }

        PresetOptions global = preset.global().without(RESERVED);
        List<Model> models = new ArrayList<>();
        for (Candidate candidate : candidates.values()) {
            PresetOptions options = PresetOptions.merge(
                    candidate.discovered(),
                    global,
                    candidate.section().map(s -> s.options().without(RESERVED)),
                    routerOptions);
            if (hasLocation(options)) {
                models.add(new Model(candidate, options));
            } else {
                LOG.warn(
                        "preset [{}] in {} names no model: set model or hf-repo; skipping it",
                        candidate.id(),
                        preset.path());
            }
        }
        new AliasCheck(preset.path()).check(models);
        Set<String> hidden = dedupedCacheIds(models, cached);
        List<ModelDescriptor> descriptors = new ArrayList<>();
        for (Model model : models) {
            descriptors.add(
                    describe(model, cached, hidden.contains(model.candidate().id())));
        }
        return descriptors;
    }

    private static boolean hasLocation(PresetOptions options) {
        return options.contains(LlamaArgs.MODEL)
                || options.contains(LlamaArgs.HF_REPO)
                || options.contains(LlamaArgs.MODEL_URL);
    }

    /**
     * Cache entries that a preset with {@code dedup-cache-models} loads through {@code hf-repo}:
     * they stay resolvable but leave the listings.
     */
    private static Set<String> dedupedCacheIds(List<Model> models, List<ModelDescriptor> cached) {
        Set<String> hidden = new HashSet<>();
        for (Model model : models) {
            boolean dedup = model.options()
                    .get(LlamaArgs.DEDUP_CACHE_MODELS)
                    .filter(LlamaBooleans::isTruthy)
                    .isPresent();
            if (dedup && model.candidate().section().isPresent()) {
                cachedModelFor(model.options(), cached).ifPresent(c -> hidden.add(c.id()));
            }
        }
        models.stream()
                .filter(m -> !m.candidate().origin().equals(ModelMetadata.CACHE))
                .forEach(m -> hidden.remove(m.candidate().id()));
        return hidden;
    }

    private static Optional<ModelDescriptor> cachedModelFor(PresetOptions options, List<ModelDescriptor> cached) {
        return options.get(LlamaArgs.HF_REPO)
                .flatMap(
                        repo -> HfCacheSource.resolve(cached, HfReference.parse(repo), options.get(LlamaArgs.HF_FILE)));
    }

    private ModelDescriptor describe(Model model, List<ModelDescriptor> cached, boolean hidden) throws IOException {
        PresetOptions options = model.options();
        Optional<ModelDescriptor> fromCache =
                options.contains(LlamaArgs.MODEL) ? Optional.empty() : cachedModelFor(options, cached);
        List<Path> files = fromCache.map(ModelDescriptor::files).orElseGet(() -> localFiles(options));

        Map<String, Object> metadata = new LinkedHashMap<>(model.candidate().metadata());
        fromCache.ifPresent(c -> metadata.putAll(c.metadata()));
        metadata.put(ModelMetadata.ORIGIN, model.candidate().origin());
        metadata.put(ModelMetadata.SIZE_BYTES, ModelFiles.totalSize(files));
        metadata.put(
                ModelMetadata.PRESET_INI,
                options.without(RESERVED)
                        .without(ROUTER_SIDE)
                        .toIni(model.candidate().id()));
        metadata.put(ModelMetadata.INPUT_MODALITIES, inputModalities(files, options));

        return ModelDescriptor.builder(model.candidate().id(), backend)
                .aliases(model.aliases())
                .tags(commaList(options.get(LlamaArgs.TAGS)))
                .source(options.get(LlamaArgs.MODEL)
                        .or(() -> options.get(LlamaArgs.HF_REPO))
                        .or(() -> options.get(LlamaArgs.MODEL_URL))
                        .orElseThrow())
                .files(files)
                .args(options.without(ROUTER_SIDE).toArgs())
                .metadata(metadata)
                .unlisted(hidden)
                .loadOnStartup(options.get(LlamaArgs.LOAD_ON_STARTUP)
                        .filter(LlamaBooleans::isTruthy)
                        .isPresent())
                .stopTimeout(options.get(LlamaArgs.STOP_TIMEOUT)
                        .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                        .orElse(DEFAULT_STOP_TIMEOUT))
                .build();
    }

    /**
     * {@code text}, then what the projector reads, from its GGUF header as llama.cpp's {@code
     * mtmd_get_cap_from_file} tells it: {@code image} and {@code audio}.
     */
    private static List<String> inputModalities(List<Path> files, PresetOptions options) {
        List<String> modalities = new ArrayList<>(List.of("text"));
        Optional<Path> projector = options.get(LlamaArgs.MMPROJ)
                .map(Path::of)
                .or(() -> files.stream()
                        .filter(f -> f.getFileName().toString().startsWith("mmproj"))
                        .findFirst())
                .filter(Files::isRegularFile);
        if (projector.isEmpty()) {
            return modalities;
        }
        try {
            GgufFile header = GgufReader.read(projector.get(), ModelMemory.ESTIMATE_ARRAY_LIMIT);
            if (isTrue(header, "clip.has_vision_encoder")) {
                modalities.add("image");
            }
            if (isTrue(header, "clip.has_audio_encoder")) {
                modalities.add("audio");
            }
        } catch (IOException e) {
            LOG.warn("cannot read projector {}: {}", projector.get(), e.getMessage());
        }
        return modalities;
    }

    private static boolean isTrue(GgufFile header, String key) {
        return header.value(key).map(v -> Boolean.TRUE.equals(v.value())).orElse(false);
    }

    /** The model file's shards and the projector, as far as they exist on this machine. */
    private static List<Path> localFiles(PresetOptions options) {
        Optional<Path> model = options.get(LlamaArgs.MODEL).map(Path::of).filter(Files::exists);
        Optional<Path> mmproj = options.get(LlamaArgs.MMPROJ).map(Path::of).filter(Files::exists);
        return model.map(m -> ModelFiles.of(m, mmproj)).orElse(List.of());
    }

    static List<String> commaList(Optional<String> value) {
        return value.stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    /** A model id with the sources of its options, before the cascade. */
    private record Candidate(
            String id,
            String origin,
            PresetOptions discovered,
            Map<String, Object> metadata,
            Optional<PresetSection> section) {

        static Candidate discovered(ModelDescriptor model) {
            return new Candidate(
                    model.id(),
                    String.valueOf(model.metadata().get(ModelMetadata.ORIGIN)),
                    PresetOptions.fromCommandLine(model.args()),
                    model.metadata(),
                    Optional.empty());
        }

        static Candidate presetOnly(PresetSection section) {
            return new Candidate(
                    section.name(), ModelMetadata.PRESET, PresetOptions.empty(), Map.of(), Optional.of(section));
        }

        Candidate withSection(PresetSection preset) {
            return new Candidate(id, ModelMetadata.PRESET, discovered, metadata, Optional.of(preset));
        }
    }

    /** A candidate with its cascaded options. */
    private record Model(Candidate candidate, PresetOptions options) {

        /** The aliases from {@code alias}, without the model's own name. */
        List<String> aliases() {
            return commaList(options.get(LlamaArgs.ALIAS)).stream()
                    .filter(alias -> !alias.equals(candidate.id()))
                    .toList();
        }

        int line() {
            return candidate.section().map(PresetSection::line).orElse(0);
        }
    }

    /** Rejects aliases that collide with another model's name or alias, with llama.cpp's messages. */
    private record AliasCheck(Path presetFile) {

        void check(List<Model> models) throws PresetException {
            Map<String, String> aliasOwners = new LinkedHashMap<>();
            Set<String> names = new HashSet<>();
            models.forEach(m -> names.add(m.candidate().id()));
            for (Model model : models) {
                String name = model.candidate().id();
                for (String alias : model.aliases()) {
                    if (names.contains(alias)) {
                        throw conflict(
                                model,
                                "alias '" + alias + "' for model '" + name + "' conflicts with existing model name");
                    }
                    String owner = aliasOwners.putIfAbsent(alias, name);
                    if (owner != null) {
                        throw conflict(
                                model,
                                "alias '" + alias + "' for model '" + name + "' conflicts with alias of model '" + owner
                                        + "'");
                    }
                }
            }
        }

        private PresetException conflict(Model model, String message) {
            return new PresetException(presetFile, model.line(), "alias", message);
        }
    }
}
