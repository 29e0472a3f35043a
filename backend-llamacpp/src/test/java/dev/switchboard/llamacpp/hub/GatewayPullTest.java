package dev.switchboard.llamacpp.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ollama pull} through the gateway: download into llama.cpp's cache, list, delete. */
class GatewayPullTest {
    private static final String REPO = "ggml-org/gemma-3-4b-it-GGUF";
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path temp;

    private FakeHub hub;
    private Gateway gateway;
    private final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        hub.repo(REPO, COMMIT).file("gemma-3-4b-it-Q4_K_M.gguf", "q4 weights");
        BackendConfig llama = BackendConfig.of(
                "llama",
                "llamacpp",
                Map.of(
                        "cacheDir",
                        temp.resolve("hub").toString(),
                        "hfEndpoint",
                        hub.endpoint().toString()));
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(llama), List.of()))
                .shutdownHook(false)
                .build();
        gateway.subscribe(events::add);
    }

    @AfterEach
    void stop() {
        gateway.close();
        hub.close();
    }

    @Test
    void aPulledModelIsListedUnderLlamaCppsIdWithProgressEvents() throws Exception {
        String id = gateway.pull(REPO + ":Q4_K_M").get(30, TimeUnit.SECONDS);

        assertThat(id).isEqualTo(REPO + ":Q4_K_M");
        assertThat(gateway.models()).extracting(status -> status.model().id()).contains(id);
        await().until(() -> events.stream().anyMatch(e -> e instanceof GatewayEvent.DownloadFinished));
        assertThat(events)
                .filteredOn(e -> e instanceof GatewayEvent.DownloadProgress)
                .isNotEmpty();
    }

    @Test
    void anUnknownQuantFailsWith404AndAnEvent() {
        assertThatThrownBy(() -> gateway.pull(REPO + ":Q2_K").join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status()).isEqualTo(404))
                .hasMessageContaining("Q2_K");
        await().until(() -> events.stream().anyMatch(e -> e instanceof GatewayEvent.DownloadFailed));
    }

    @Test
    void aDeletedModelIsNoLongerListed() throws Exception {
        String id = gateway.pull(REPO + ":Q4_K_M").get(30, TimeUnit.SECONDS);

        gateway.deleteDownload(id);

        assertThat(gateway.models()).extracting(status -> status.model().id()).doesNotContain(id);
        assertThatThrownBy(() -> gateway.deleteDownload(id))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("not found");
    }
}
