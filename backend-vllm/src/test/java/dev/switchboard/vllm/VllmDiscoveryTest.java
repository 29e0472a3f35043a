package dev.switchboard.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.backend.BackendRegistry;
import org.junit.jupiter.api.Test;

class VllmDiscoveryTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(BackendRegistry.discover().factory("vllm")).get().isInstanceOf(VllmBackendFactory.class);
    }
}
