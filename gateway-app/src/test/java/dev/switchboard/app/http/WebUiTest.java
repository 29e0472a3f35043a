package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's files, and the switch that turns them off. */
class WebUiTest {
    @TempDir
    Path dir;

    @Test
    void servesThePageAtUi() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            HttpResponse<String> page = gateway.get("/ui/");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("<title>Switchboard</title>").contains("app.js");
        }
    }

    @Test
    void servesTheScriptAndStyles() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            assertThat(gateway.get("/ui/app.js").body()).contains("/v1/chat/completions");
            assertThat(gateway.get("/ui/style.css").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void redirectsTheRootToTheUi() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            HttpResponse<String> root = gateway.get("/");

            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("location")).hasValue("/ui/");
        }
    }

    @Test
    void servesNoUiWhenTurnedOff() {
        ServerSettings noUi = new ServerSettings("127.0.0.1", 0, List.of(), 1024, false);
        try (TestGateway gateway =
                TestGateway.start(dir, noUi, SchedulerConfig.ofDefaults(), GpuInventory.none(), List.of())) {
            assertThat(gateway.get("/ui/").statusCode()).isEqualTo(404);
        }
    }
}
