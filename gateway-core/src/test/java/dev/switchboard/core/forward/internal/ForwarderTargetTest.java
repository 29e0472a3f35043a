package dev.switchboard.core.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ForwarderTargetTest {

    @Test
    void appendsThePathToALocalEngine() {
        URI target = Forwarder.target(URI.create("http://127.0.0.1:41234"), "/v1/chat/completions?stream=true");

        assertThat(target).isEqualTo(URI.create("http://127.0.0.1:41234/v1/chat/completions?stream=true"));
    }

    @Test
    void keepsTheBasePathOfAnUpstream() {
        URI target = Forwarder.target(URI.create("https://openrouter.example/api/"), "/v1/models");

        assertThat(target).isEqualTo(URI.create("https://openrouter.example/api/v1/models"));
    }
}
