package dev.switchboard.llamacpp.discovery;

/** The {@link dev.switchboard.core.spi.ModelDescriptor#metadata()} keys this backend fills. */
public final class ModelMetadata {

    /** Where the model was found: {@value #MODELS_DIR}, {@value #CACHE} or {@value #PRESET}. */
    public static final String ORIGIN = "origin";

    public static final String MODELS_DIR = "models-dir";
    public static final String CACHE = "cache";
    public static final String PRESET = "preset";

    /** The summed size in bytes of the model's local files (shards and projector). */
    public static final String SIZE_BYTES = "sizeBytes";

    /** The Hugging Face repository of a cached model, such as {@code ggml-org/gemma-3-4b-it-GGUF}. */
    public static final String HF_REPO = "hfRepo";

    /** The path of a cached model's first file inside its repository. */
    public static final String HF_FILE = "hfFile";

    /** The quantization tag from the file name, such as {@code Q4_K_M}. */
    public static final String QUANTIZATION = "quantization";

    /**
     * The model's options as llama.cpp's router lists them in {@code status.preset}: an INI section
     * named after the model, without the options the router owns (host, port, alias, tags).
     */
    public static final String PRESET_INI = "presetIni";

    /** What the model reads, as a list: {@code text}, then {@code image} and {@code audio} from its projector. */
    public static final String INPUT_MODALITIES = "inputModalities";

    private ModelMetadata() {}
}
