package dev.switchboard.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.backend.BackendRegistry;
import org.junit.jupiter.api.Test;

class SglangDiscoveryTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(BackendRegistry.discover().factory("sglang")).get().isInstanceOf(SglangBackendFactory.class);
    }
}
