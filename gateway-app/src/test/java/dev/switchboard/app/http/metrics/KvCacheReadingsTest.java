package dev.switchboard.app.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Reading the KV-cache gauge from each engine's own Prometheus page. */
class KvCacheReadingsTest {

    @Test
    void readsEachEnginesGaugeByItsName() {
        assertThat(KvCacheReadings.utilisation(
                        "# HELP vllm:kv_cache_usage_perc KV-cache usage.\n# TYPE vllm:kv_cache_usage_perc gauge\n"
                                + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"a b}\"} 0.25\n"))
                .hasValue(0.25);
        assertThat(KvCacheReadings.utilisation("vllm:gpu_cache_usage_perc{model_name=\"q\"} 0.5\n"))
                .hasValue(0.5);
        assertThat(KvCacheReadings.utilisation("sglang:token_usage{model_name=\"q\"} 0.125 1712345678\n"))
                .hasValue(0.125);
        assertThat(KvCacheReadings.utilisation("llamacpp:kv_cache_usage_ratio 0.75\n"))
                .hasValue(0.75);
    }

    @Test
    void prefersTheCurrentVllmNameTakesTheHighestSeriesAndClamps() {
        String page = "vllm:gpu_cache_usage_perc{engine=\"0\"} 0.9\n"
                + "vllm:kv_cache_usage_perc{engine=\"0\"} 0.2\n"
                + "vllm:kv_cache_usage_perc{engine=\"1\"} 0.4\n";

        assertThat(KvCacheReadings.utilisation(page)).hasValue(0.4);
        assertThat(KvCacheReadings.utilisation("sglang:token_usage 1.5\n")).hasValue(1.0);
    }

    @Test
    void hasNoReadingWithoutAKnownGauge() {
        assertThat(KvCacheReadings.utilisation("llamacpp:requests_processing 1\n"
                        + "vllm:kv_cache_usage_perc_other 0.3\nsglang:token_usage NaN\n"))
                .isEqualTo(OptionalDouble.empty());
    }

    @Test
    void asksTheEnginesAgainOnlyOnceTheReadingIsASecondOld() throws IOException, InterruptedException {
        AtomicLong now = new AtomicLong();
        try (MockWebServer engine = new MockWebServer();
                KvCacheReadings readings = new KvCacheReadings(now::get)) {
            engine.enqueue(new MockResponse.Builder()
                    .body("vllm:kv_cache_usage_perc 0.3\n")
                    .build());
            engine.enqueue(new MockResponse.Builder()
                    .body("vllm:kv_cache_usage_perc 0.6\n")
                    .build());
            engine.start(0);
            List<KvCacheReadings.Engine> engines = List.of(
                    new KvCacheReadings.Engine("a", engine.url("/").uri(), Map.of("Authorization", "Bearer k")),
                    new KvCacheReadings.Engine("gone", URI.create("http://127.0.0.1:1"), Map.of()));

            assertThat(readings.read(engines)).isEqualTo(Map.of("a", 0.3));
            now.addAndGet(KvCacheReadings.MAX_AGE.toNanos() - 1);
            assertThat(readings.read(engines)).isEqualTo(Map.of("a", 0.3));
            now.addAndGet(1);
            assertThat(readings.read(engines)).isEqualTo(Map.of("a", 0.6));
            assertThat(engine.getRequestCount()).isEqualTo(2);
            assertThat(engine.takeRequest().getHeaders().get("Authorization"))
                    .as("the engine's own key, as forwarded requests carry it")
                    .isEqualTo("Bearer k");
        }
    }
}
