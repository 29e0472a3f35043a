package dev.switchboard.app.http.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.GatewayException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an Ollama request asks the engine for, as the chat-completions request it becomes. */
class OllamaRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void optionsBecomeSamplingParametersAndNumPredictMaxTokens() throws Exception {
        JsonNode chat = OllamaRequests.chat(
                read("{\"model\":\"x\",\"messages\":[],\"options\":{\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40,"
                        + "\"seed\":7,\"num_predict\":12,\"stop\":[\"END\"],\"repeat_penalty\":1.1,\"num_ctx\":4096}}"),
                "m");

        assertThat(chat.path("model").asText()).isEqualTo("m");
        assertThat(chat.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(chat.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(chat.path("top_k").asInt()).isEqualTo(40);
        assertThat(chat.path("seed").asInt()).isEqualTo(7);
        assertThat(chat.path("max_tokens").asInt()).isEqualTo(12);
        assertThat(chat.path("stop").path(0).asText()).isEqualTo("END");
        assertThat(chat.path("repeat_penalty").asDouble()).isEqualTo(1.1);
        assertThat(chat.has("num_ctx")).isFalse(); // the engine's context is set when it loads
        assertThat(chat.path("stream").asBoolean()).isTrue(); // Ollama streams unless told not to
        assertThat(chat.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    @Test
    void formatJsonAndSchemaBecomeResponseFormat() throws Exception {
        JsonNode json = OllamaRequests.generate(read("{\"prompt\":\"p\",\"format\":\"json\",\"stream\":false}"), "m");
        JsonNode schema = OllamaRequests.generate(
                read(
                        "{\"prompt\":\"p\",\"format\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}"),
                "m");

        assertThat(json.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(json.has("stream")).isFalse();
        assertThat(schema.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(schema.path("response_format")
                        .path("json_schema")
                        .path("schema")
                        .path("properties")
                        .has("a"))
                .isTrue();
    }

    @Test
    void imagesToolCallsAndThinkAreMapped() throws Exception {
        JsonNode chat = OllamaRequests.chat(
                read("{\"think\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"messages\":["
                        + "{\"role\":\"user\",\"content\":\"look\",\"images\":[\"iVBORw0KGgo=\"]},"
                        + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\","
                        + "\"arguments\":{\"city\":\"Oslo\"}}}]},"
                        + "{\"role\":\"tool\",\"content\":\"sunny\",\"tool_name\":\"f\"}]}"),
                "m");

        JsonNode parts = chat.path("messages").path(0).path("content");
        assertThat(parts.path(0).path("text").asText()).isEqualTo("look");
        assertThat(parts.path(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        JsonNode call = chat.path("messages").path(1).path("tool_calls").path(0).path("function");
        assertThat(call.path("name").asText()).isEqualTo("f");
        assertThat(JSON.readTree(call.path("arguments").asText()).path("city").asText())
                .isEqualTo("Oslo");
        assertThat(chat.path("messages").path(2).path("role").asText()).isEqualTo("tool");
        assertThat(chat.path("tools").path(0).path("function").path("name").asText())
                .isEqualTo("f");
        assertThat(chat.path("chat_template_kwargs").path("enable_thinking").asBoolean())
                .isTrue();
    }

    @Test
    void keepAliveReadsDurationsSecondsAndNegatives() throws Exception {
        assertThat(KeepAlive.parse(read("{\"k\":\"1h30m\"}").get("k"))).hasValue(Duration.ofMinutes(90));
        assertThat(KeepAlive.parse(read("{\"k\":\"300ms\"}").get("k"))).hasValue(Duration.ofMillis(300));
        assertThat(KeepAlive.parse(read("{\"k\":600}").get("k"))).hasValue(Duration.ofMinutes(10));
        assertThat(KeepAlive.parse(read("{\"k\":\"0\"}").get("k"))).hasValue(Duration.ZERO);
        assertThat(KeepAlive.parse(read("{\"k\":-1}").get("k")))
                .hasValueSatisfying(d -> assertThat(d).isNegative());
        assertThat(KeepAlive.parse(null)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> KeepAlive.parse(read("{\"k\":\"soon\"}").get("k")))
                .isInstanceOf(GatewayException.class)
                .hasMessage("invalid keep_alive value: \"soon\"");
    }

    private static JsonNode read(String json) throws Exception {
        return JSON.readTree(json);
    }
}
