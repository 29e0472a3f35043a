/** The {@code vllm} backend: one vLLM server per model, with sleep mode as its warm tier. */
module dev.switchboard.vllm {
    requires dev.switchboard.core;

    exports dev.switchboard.vllm;

    provides dev.switchboard.core.spi.BackendFactory with
            dev.switchboard.vllm.VllmBackendFactory;
}
