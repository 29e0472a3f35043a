package dev.switchboard.core.spi;

/**
 * Creates backends of one type. Implementations are found with {@link java.util.ServiceLoader}:
 * a jar adds a backend type by listing its factory in {@code
 * META-INF/services/dev.switchboard.core.spi.BackendFactory}. Two factories claiming the same type
 * fail start-up.
 */
public interface BackendFactory {

    /** The type name used in configuration, for example {@code llamacpp} or {@code vllm}. */
    String type();

    /**
     * Creates a backend from its configuration.
     *
     * @throws IllegalArgumentException when an option is missing or malformed; the message names the
     *     option
     */
    Backend create(BackendConfig config);
}
