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
    void answersNotModifiedWhileAFileIsUnchanged() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            HttpResponse<String> first = gateway.get("/ui/app.js");
            String etag = first.headers().firstValue("etag").orElseThrow();
            assertThat(first.headers().firstValue("cache-control")).hasValue("max-age=0");
            assertThat(first.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));

            HttpResponse<String> again = gateway.send(gateway.request("/ui/app.js")
                    .header("If-None-Match", etag)
                    .GET()
                    .build());

            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void answersNotFoundForAnythingButTheUisFiles() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            HttpResponse<String> missing = gateway.get("/ui/nothing.js");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"error\"");
            // a class on the class path is no file of the UI, whatever the name says
            assertThat(gateway.get("/ui/..%2Fdev%2Fswitchboard%2Fapp%2FMain.class")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(gateway.get("/ui/Main.class").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void sendsTheBarePathToTheFolder() {
        try (TestGateway gateway = TestGateway.start(dir, List.of())) {
            HttpResponse<String> bare = gateway.get("/ui");

            assertThat(bare.statusCode()).isEqualTo(301);
            assertThat(bare.headers().firstValue("location")).hasValue("/ui/");
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
