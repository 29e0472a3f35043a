package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} after known traffic: every series with the counts that traffic makes. */
class MetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;
    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    Path dir;

    @Test
    void countsRequestsTokensLoadsAndEvictionsAsPrometheusSeries() throws IOException {
        List<GpuInfo> gpus = List.of(new GpuInfo(0, "GPU-0", "Test GPU", 24 * GIB, 2 * GIB, 22 * GIB));
        ModelDescriptor metered = TestGateway.simulated(dir, "metered");
        Map<String, Object> options = new HashMap<>(metered.options());
        options.put("memory", "4GiB");
        metered = metered.toBuilder().options(options).build();
        try (TestGateway gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.fixed(gpus),
                List.of(metered, TestGateway.simulated(dir, "erring", "--sim-error-percent", "100")))) {
            int promptTokens = 0;
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answer = gateway.post(CHAT, chat("metered", false, 3));
                assertThat(answer.statusCode()).isEqualTo(200);
                JsonNode usage = JSON.readTree(answer.body()).path("usage");
                assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
                promptTokens += usage.path("prompt_tokens").asInt();
            }
            HttpResponse<String> streamed = gateway.post(CHAT, chat("metered", true, 4));
            assertThat(streamed.statusCode()).isEqualTo(200);
            JsonNode streamedUsage = streamed.body()
                    .lines()
                    .filter(line -> line.startsWith("data: {") && line.contains("\"usage\""))
                    .map(line -> read(line.substring(6)).path("usage"))
                    .filter(usage -> usage.has("completion_tokens"))
                    .reduce((first, last) -> last)
                    .orElseThrow();
            assertThat(streamedUsage.path("completion_tokens").asInt()).isEqualTo(4);
            promptTokens += streamedUsage.path("prompt_tokens").asInt();
            assertThat(gateway.post(CHAT, chat("nope", false, 1)).statusCode()).isEqualTo(404);
            for (int i = 0; i < 4; i++) { // the default breaker opens on 4 calls, half of them failed
                assertThat(gateway.post(CHAT, chat("erring", false, 1)).statusCode())
                        .isEqualTo(500);
            }
            HttpResponse<String> refused = gateway.post(CHAT, chat("erring", false, 1));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(gateway.post("/api/models/metered/unload", "").statusCode())
                    .isEqualTo(202);
            await().atMost(TestGateway.PATIENCE)
                    .until(() -> gateway.get("/api/models").body().contains("\"state\":\"unloaded\""));

            String text = gateway.get("/metrics").body();

            assertThat(text)
                    .contains("switchboard_requests_total{model=\"metered\",route=\"" + CHAT + "\",status=\"200\"} 3.0")
                    .contains("switchboard_requests_total{model=\"unknown\",route=\"" + CHAT + "\",status=\"404\"} 1.0")
                    .contains("switchboard_request_duration_seconds_bucket{model=\"metered\",le=\"+Inf\"} 3")
                    .contains("switchboard_request_duration_seconds_count{model=\"metered\"} 3")
                    .contains("switchboard_time_to_first_byte_seconds_count{model=\"metered\"} 3")
                    .contains("switchboard_time_to_first_token_seconds_count{model=\"metered\"} 1")
                    .contains("switchboard_queue_wait_seconds_count{model=\"metered\"} 3")
                    .contains("switchboard_completion_tokens_total{model=\"metered\"} 10.0")
                    .contains("switchboard_prompt_tokens_total{model=\"metered\"} " + promptTokens + ".0")
                    .contains("switchboard_tokens_per_second_count{model=\"metered\"} 3")
                    .contains("switchboard_model_starts_total{model=\"metered\"} 1.0")
                    .contains("switchboard_model_load_duration_seconds_count{model=\"metered\"} 1")
                    .contains("switchboard_model_stops_total{model=\"metered\"} 1.0")
                    .contains("switchboard_model_evictions_total{model=\"metered\",reason=\"requested\"} 1.0")
                    .contains("switchboard_model_state{model=\"metered\",state=\"unloaded\"} 1.0")
                    .contains("switchboard_model_state{model=\"metered\",state=\"ready\"} 0.0")
                    .contains("switchboard_model_circuit_state{model=\"erring\",state=\"open\"} 1.0")
                    .contains("switchboard_model_circuit_state{model=\"erring\",state=\"closed\"} 0.0")
                    .contains("switchboard_model_circuit_state{model=\"metered\",state=\"closed\"} 1.0")
                    .contains("switchboard_model_circuit_state{model=\"metered\",state=\"open\"} 0.0")
                    .contains("switchboard_model_circuit_transitions_total{model=\"erring\",to=\"open\"} 1.0")
                    .contains("switchboard_requests_total{model=\"erring\",route=\"" + CHAT + "\",status=\"500\"} 4.0")
                    .contains("switchboard_requests_total{model=\"erring\",route=\"" + CHAT + "\",status=\"503\"} 1.0")
                    .doesNotContain("switchboard_model_kv_cache_utilization{model=\"erring\"}")
                    .doesNotContain("switchboard_kv_cache_utilization{")
                    .contains("switchboard_num_requests_waiting 0.0")
                    .contains("switchboard_num_requests_running 0.0")
                    .contains("switchboard_model_requests_waiting{model=\"metered\"} 0.0")
                    .contains("switchboard_model_requests_running{model=\"metered\"} 0.0")
                    .contains("switchboard_gpu_memory_total_bytes{gpu=\"0\",name=\"Test GPU\"} " + (double) (24 * GIB))
                    .contains("switchboard_gpu_memory_used_bytes{gpu=\"0\",name=\"Test GPU\"} " + (double) (2 * GIB))
                    .contains("switchboard_gpu_memory_reserved_bytes{gpu=\"0\",name=\"Test GPU\"} 0.0")
                    .contains("jvm_memory_used_bytes{")
                    .contains("process_cpu_usage ")
                    .contains("process_uptime_seconds ");
            assertThat(text.lines().filter(line -> line.matches("# HELP \\S+\\s*")))
                    .as("HELP lines without text")
                    .isEmpty();
        }
    }

    @Test
    void exportsTheKvCacheUtilisationTheEnginesReport() {
        Map<String, Object> env = Map.of("SIM_KV_CACHE_PERCENT", "30", "SIM_LOAD_MS", "50");
        BackendConfig vllm = BackendConfig.of(
                "vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "startTimeout", "60s", "env", env));
        BackendConfig sglang = BackendConfig.of(
                "sglang",
                "sglang",
                Map.of(
                        "python",
                        SimulatorCommand.javaCommand(),
                        "startTimeout",
                        "60s",
                        "env",
                        Map.of("SIM_KV_CACHE_PERCENT", "70", "SIM_LOAD_MS", "50")));
        List<ModelDescriptor> models = List.of(
                ModelDescriptor.builder("qwen", "vllm")
                        .source("Qwen/Qwen2.5-0.5B-Instruct")
                        .build(),
                ModelDescriptor.builder("llama", "sglang")
                        .source("meta-llama/Llama-3.2-1B-Instruct")
                        .args(List.of("--skip-server-warmup", "--enable-metrics"))
                        .build(),
                TestGateway.simulated(dir, "plain"));
        try (TestGateway gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(vllm, sglang),
                models)) {
            assertThat(gateway.get("/metrics").body()).doesNotContain("switchboard_model_kv_cache_utilization{");
            models.forEach(model -> gateway.ensureLoaded(model.id()));

            // readings are kept for a second: wait past one taken before the engines were ready
            await().atMost(TestGateway.PATIENCE)
                    .untilAsserted(() -> assertThat(gateway.get("/metrics").body())
                            .contains("switchboard_model_kv_cache_utilization{model=\"qwen\"} 0.3")
                            .contains("switchboard_model_kv_cache_utilization{model=\"llama\"} 0.7")
                            .contains("switchboard_kv_cache_utilization{stat=\"max\"} 0.7")
                            .contains("switchboard_kv_cache_utilization{stat=\"avg\"} 0.5")
                            .doesNotContain("switchboard_model_kv_cache_utilization{model=\"plain\"}"));
        }
    }

    private static String chat(String model, boolean stream, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"count these words please\"}]}";
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
