/**
 * Switchboard's core, for embedders and backend authors: {@link dev.switchboard.core.Gateway} and its
 * builder, the configuration records, the backend SPI, events, and the request relay's types.
 * Everything else lives in {@code internal} packages, which are not exported; the engine helpers of
 * {@code dev.switchboard.core.engine} are exported to the backend modules only.
 */
module dev.switchboard.core {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;
    requires transitive java.net.http;
    requires org.slf4j;

    exports dev.switchboard.core;
    exports dev.switchboard.core.backend;
    exports dev.switchboard.core.command;
    exports dev.switchboard.core.event;
    exports dev.switchboard.core.forward;
    exports dev.switchboard.core.lifecycle;
    exports dev.switchboard.core.openai;
    exports dev.switchboard.core.placement;
    exports dev.switchboard.core.process;
    exports dev.switchboard.core.resilience;
    exports dev.switchboard.core.spi;
    exports dev.switchboard.core.engine to
            dev.switchboard.vllm,
            dev.switchboard.sglang;

    uses dev.switchboard.core.spi.BackendFactory;

    provides dev.switchboard.core.spi.BackendFactory with
            dev.switchboard.core.command.CommandBackendFactory,
            dev.switchboard.core.openai.OpenAiBackendFactory;
}
