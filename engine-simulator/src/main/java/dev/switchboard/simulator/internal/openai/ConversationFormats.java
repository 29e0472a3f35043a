package dev.switchboard.simulator.internal.openai;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;

import java.util.List;
import java.util.Map;

/**
 * OpenAI's Responses API ({@code /v1/responses}) and Anthropic's Messages API ({@code /v1/messages}), which vLLM and
 * llama-server serve natively: the whole objects and the named stream events, in the order those engines send them.
 */
public final class ConversationFormats {

    private ConversationFormats() {}

    /** {@code /v1/responses}: ids {@code resp_...}, one message item with one {@code output_text} part. */
    public static AnswerFormat responses() {
        return new AnswerFormat() {
            @Override
            public Object whole(Completion completion) {
                return response(completion, "completed", array(message(completion, "completed", completion.text())));
            }

            @Override
            public List<Object> head(Completion completion) {
                return List.of(
                        event(completion, 0, "response.created", object("response", inProgress(completion))),
                        event(completion, 1, "response.in_progress", object("response", inProgress(completion))),
                        event(
                                completion,
                                2,
                                "response.output_item.added",
                                object("output_index", 0, "item", message(completion, "in_progress", null))),
                        event(
                                completion,
                                3,
                                "response.content_part.added",
                                object(
                                        "item_id",
                                        messageId(completion),
                                        "output_index",
                                        0,
                                        "content_index",
                                        0,
                                        "part",
                                        part(""))));
            }

            @Override
            public Object piece(Completion completion, int index) {
                return event(
                        completion,
                        4 + index,
                        "response.output_text.delta",
                        object(
                                "item_id", messageId(completion),
                                "output_index", 0,
                                "content_index", 0,
                                "delta", completion.tokens().get(index),
                                "logprobs", array()));
            }

            @Override
            public List<Object> tail(Completion completion) {
                int next = 4 + completion.tokens().size();
                Map<String, Object> item = message(completion, "completed", completion.text());
                return List.of(
                        event(
                                completion,
                                next,
                                "response.output_text.done",
                                object(
                                        "item_id", messageId(completion),
                                        "output_index", 0,
                                        "content_index", 0,
                                        "text", completion.text(),
                                        "logprobs", array())),
                        event(
                                completion,
                                next + 1,
                                "response.content_part.done",
                                object(
                                        "item_id",
                                        messageId(completion),
                                        "output_index",
                                        0,
                                        "content_index",
                                        0,
                                        "part",
                                        part(completion.text()))),
                        event(
                                completion,
                                next + 2,
                                "response.output_item.done",
                                object("output_index", 0, "item", item)),
                        event(
                                completion,
                                next + 3,
                                "response.completed",
                                object("response", response(completion, "completed", array(item)))));
            }

            @Override
            public boolean endsWithDone() {
                return false;
            }
        };
    }

    /** {@code /v1/messages}: ids {@code msg_...}, one text block. */
    public static AnswerFormat messages() {
        return new AnswerFormat() {
            @Override
            public Object whole(Completion completion) {
                Map<String, Object> message = messageShell(completion);
                message.put("content", array(object("type", "text", "text", completion.text())));
                message.put("stop_reason", stopReason(completion));
                message.put("usage", anthropicUsage(completion, completion.completionTokens()));
                return message;
            }

            @Override
            public List<Object> head(Completion completion) {
                Map<String, Object> message = messageShell(completion);
                message.put("content", array());
                message.put("stop_reason", null);
                message.put("usage", anthropicUsage(completion, 0));
                return List.of(
                        named("message_start", object("message", message)),
                        named(
                                "content_block_start",
                                object("index", 0, "content_block", object("type", "text", "text", ""))));
            }

            @Override
            public Object piece(Completion completion, int index) {
                return named(
                        "content_block_delta",
                        object(
                                "index",
                                0,
                                "delta",
                                object(
                                        "type",
                                        "text_delta",
                                        "text",
                                        completion.tokens().get(index))));
            }

            @Override
            public List<Object> tail(Completion completion) {
                return List.of(
                        named("content_block_stop", object("index", 0)),
                        named(
                                "message_delta",
                                object(
                                        "delta", object("stop_reason", stopReason(completion), "stop_sequence", null),
                                        "usage", object("output_tokens", completion.completionTokens()))),
                        named("message_stop", object()));
            }

            @Override
            public boolean endsWithDone() {
                return false;
            }
        };
    }

    private static Map<String, Object> response(Completion completion, String status, List<Object> output) {
        Map<String, Object> response = object(
                "id",
                completion.id(),
                "object",
                "response",
                "created_at",
                completion.created(),
                "status",
                status,
                "model",
                completion.model(),
                "output",
                output);
        response.put("parallel_tool_calls", true);
        response.put("tool_choice", "auto");
        response.put("tools", array());
        response.put(
                "usage",
                object(
                        "input_tokens", completion.promptTokens(),
                        "input_tokens_details", object("cached_tokens", 0),
                        "output_tokens", completion.completionTokens(),
                        "output_tokens_details", object("reasoning_tokens", 0),
                        "total_tokens", completion.promptTokens() + completion.completionTokens()));
        response.put(
                "incomplete_details",
                completion.finish() == Completion.FinishReason.LENGTH ? object("reason", "max_output_tokens") : null);
        return response;
    }

    private static Map<String, Object> inProgress(Completion completion) {
        Map<String, Object> response = response(completion, "in_progress", array());
        response.remove("usage");
        response.put("incomplete_details", null);
        return response;
    }

    private static Map<String, Object> message(Completion completion, String status, String text) {
        return object(
                "id",
                messageId(completion),
                "type",
                "message",
                "status",
                status,
                "role",
                "assistant",
                "content",
                text == null ? array() : array(part(text)));
    }

    private static Map<String, Object> part(String text) {
        return object("type", "output_text", "text", text, "annotations", array());
    }

    private static String messageId(Completion completion) {
        return "msg_" + completion.id().substring(completion.id().indexOf('_') + 1);
    }

    private static NamedEvent event(Completion completion, int sequence, String type, Map<String, Object> fields) {
        Map<String, Object> data = object("type", type, "sequence_number", sequence);
        data.putAll(fields);
        return new NamedEvent(type, data);
    }

    private static NamedEvent named(String type, Map<String, Object> fields) {
        Map<String, Object> data = object("type", type);
        data.putAll(fields);
        return new NamedEvent(type, data);
    }

    private static Map<String, Object> messageShell(Completion completion) {
        Map<String, Object> message = object("id", completion.id(), "type", "message", "role", "assistant");
        message.put("model", completion.model());
        message.put("stop_sequence", null);
        return message;
    }

    private static String stopReason(Completion completion) {
        return completion.finish() == Completion.FinishReason.LENGTH ? "max_tokens" : "end_turn";
    }

    private static Map<String, Object> anthropicUsage(Completion completion, int outputTokens) {
        return object("input_tokens", completion.promptTokens(), "output_tokens", outputTokens);
    }
}
