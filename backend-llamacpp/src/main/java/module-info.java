/** The {@code llamacpp} backend: llama-server children in router mode, GGUF discovery, presets and the Hub. */
module dev.switchboard.llamacpp {
    requires dev.switchboard.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.switchboard.llamacpp;

    provides dev.switchboard.core.spi.BackendFactory with
            dev.switchboard.llamacpp.LlamaCppBackendFactory;
}
