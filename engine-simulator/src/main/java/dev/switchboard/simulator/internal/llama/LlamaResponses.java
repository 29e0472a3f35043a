package dev.switchboard.simulator.internal.llama;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;

import dev.switchboard.simulator.internal.http.ErrorFormat;
import dev.switchboard.simulator.internal.http.ErrorKind;
import dev.switchboard.simulator.internal.openai.AnswerFormat;
import dev.switchboard.simulator.internal.openai.Completion;
import dev.switchboard.simulator.internal.openai.Flavor;
import dev.switchboard.simulator.internal.openai.OpenAiFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON llama-server answers with, beyond the OpenAI-compatible shapes. */
final class LlamaResponses {

    static final String BUILD_INFO = "b0-simulator";

    /** {@code {"error":{"code":..,"message":..,"type":..}}}, as llama.cpp's {@code format_error_response}. */
    static final ErrorFormat ERRORS =
            (kind, message) -> object("error", object("code", kind.status(), "message", message, "type", type(kind)));

    /** What every route answers while the model loads. */
    static final Map<String, Object> LOADING =
            object("error", object("message", "Loading model", "type", "unavailable_error", "code", 503));

    static final Map<String, Object> NOT_FOUND =
            object("error", object("message", "File Not Found", "type", "not_found_error", "code", 404));

    static final Map<String, Object> INVALID_API_KEY =
            object("error", object("message", "Invalid API Key", "type", "authentication_error", "code", 401));

    static final Flavor FLAVOR =
            new Flavor("chatcmpl-", "chatcmpl-", Optional.of(BUILD_INFO), null, false, Map.of(), Map.of(), true);

    private LlamaResponses() {}

    private static String type(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> "invalid_request_error";
            case UNAUTHORIZED -> "authentication_error";
            case NOT_FOUND -> "not_found_error";
            case SERVER -> "server_error";
            case NOT_SUPPORTED -> "not_supported_error";
            case UNAVAILABLE -> "unavailable_error";
        };
    }

    /** The model's entry in {@code /v1/models}, which is also the payload of the router's ready state. */
    static Map<String, Object> modelInfo(LlamaOptions options) {
        return object(
                "id",
                options.modelName(),
                "aliases",
                List.copyOf(options.aliases()),
                "tags",
                List.of(),
                "object",
                "model",
                "created",
                Instant.now().getEpochSecond(),
                "owned_by",
                "llamacpp",
                "meta",
                object(
                        "vocab_type",
                        2,
                        "n_vocab",
                        32000,
                        "n_ctx",
                        options.contextSize(),
                        "n_ctx_train",
                        32768,
                        "n_embd",
                        4096,
                        "n_params",
                        7_000_000_000L,
                        "size",
                        4_000_000_000L,
                        "ftype",
                        "Q4_K - Medium"));
    }

    /** {@code GET /models}: the Ollama-style {@code models} list and the OpenAI-style {@code data} list. */
    static Map<String, Object> models(LlamaOptions options) {
        Map<String, Object> ollama = object(
                "name", options.modelName(),
                "model", options.modelName(),
                "modified_at", "",
                "size", "",
                "digest", "",
                "type", "model",
                "description", "",
                "tags", array(""),
                "capabilities", options.mmproj().isPresent() ? array("completion", "multimodal") : array("completion"),
                "parameters", "");
        ollama.put(
                "details",
                object(
                        "parent_model", "",
                        "format", "gguf",
                        "family", "",
                        "families", array(""),
                        "parameter_size", "",
                        "quantization_level", ""));
        return object("models", array(ollama), "object", "list", "data", array(modelInfo(options)));
    }

    static Map<String, Object> props(LlamaOptions options, boolean sleeping) {
        Map<String, Object> props = object(
                "default_generation_settings",
                object(
                        "params",
                        object("n_predict", -1, "temperature", 0.8, "top_k", 40, "top_p", 0.95),
                        "n_ctx",
                        options.contextSize()),
                "total_slots",
                options.slots(),
                "model_alias",
                options.modelName(),
                "model_path",
                options.modelPath().orElse(""),
                "modalities",
                object("vision", options.mmproj().isPresent(), "video", false, "audio", false));
        props.put("endpoint_slots", true);
        props.put("endpoint_props", false);
        props.put("endpoint_metrics", false);
        props.put("chat_template", "");
        props.put("bos_token", "<s>");
        props.put("eos_token", "</s>");
        props.put("build_info", BUILD_INFO);
        props.put("is_sleeping", sleeping);
        return props;
    }

    /** llama.cpp's own {@code /completion} API: no ids, no choices, {@code stop} marks the last event. */
    static final AnswerFormat NATIVE_COMPLETION = new AnswerFormat() {
        @Override
        public Object whole(Completion completion) {
            return last(completion, completion.text());
        }

        @Override
        public List<Object> head(Completion completion) {
            return List.of();
        }

        @Override
        public Object piece(Completion completion, int index) {
            return object(
                    "index",
                    0,
                    "content",
                    completion.tokens().get(index),
                    "tokens",
                    array(),
                    "stop",
                    false,
                    "id_slot",
                    -1,
                    "tokens_predicted",
                    index + 1,
                    "tokens_evaluated",
                    completion.promptTokens());
        }

        @Override
        public List<Object> tail(Completion completion) {
            // the stream has carried the text already
            return List.of(last(completion, ""));
        }

        @Override
        public boolean endsWithDone() {
            return false;
        }

        private Map<String, Object> last(Completion completion, String content) {
            boolean limited = completion.finish() == Completion.FinishReason.LENGTH;
            Map<String, Object> result = object(
                    "index",
                    0,
                    "content",
                    content,
                    "tokens",
                    array(),
                    "id_slot",
                    0,
                    "stop",
                    true,
                    "model",
                    completion.model(),
                    "tokens_predicted",
                    completion.completionTokens(),
                    "tokens_evaluated",
                    completion.promptTokens());
            result.put("prompt", completion.prompt());
            result.put("has_new_line", false);
            result.put("truncated", false);
            result.put("stop_type", limited ? "limit" : "eos");
            result.put("stopping_word", "");
            result.put("tokens_cached", completion.promptTokens() + completion.completionTokens());
            result.put("timings", OpenAiFormat.timings(completion));
            return result;
        }
    };
}
