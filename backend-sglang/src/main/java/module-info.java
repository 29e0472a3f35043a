/** The {@code sglang} backend: one SGLang server per model, with the memory saver as its warm tier. */
module dev.switchboard.sglang {
    requires dev.switchboard.core;

    exports dev.switchboard.sglang;

    provides dev.switchboard.core.spi.BackendFactory with
            dev.switchboard.sglang.SglangBackendFactory;
}
