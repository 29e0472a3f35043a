package dev.switchboard.simulator.internal.openai;

import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatedText;
import dev.switchboard.simulator.internal.cli.Faults;
import dev.switchboard.simulator.internal.engine.Generator;
import dev.switchboard.simulator.internal.engine.Simulation;
import dev.switchboard.simulator.internal.http.ErrorFormat;
import dev.switchboard.simulator.internal.http.ErrorKind;
import dev.switchboard.simulator.internal.http.EventStream;
import dev.switchboard.simulator.internal.http.Exchange;
import dev.switchboard.simulator.internal.http.Handler;
import dev.switchboard.simulator.internal.http.MultipartForm;
import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.json.JsonException;
import dev.switchboard.simulator.internal.json.JsonFields;
import dev.switchboard.simulator.internal.openai.InferenceHost.Admission;
import dev.switchboard.simulator.internal.openai.InferenceHost.Purpose;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * The inference endpoints every personality serves: chat, text completions and embeddings, streamed or whole, with
 * every request and every client that went away recorded in the journal.
 */
public final class OpenAiEndpoints {

    private final InferenceHost host;
    private final OpenAiFormat format;
    private final Simulation simulation;

    public OpenAiEndpoints(InferenceHost host, OpenAiFormat format, Simulation simulation) {
        this.host = host;
        this.format = format;
        this.simulation = simulation;
    }

    public Handler chat() {
        return exchange -> answer(
                exchange, InferenceRequest::chat, format.chat(), format.flavor().chatIdPrefix());
    }

    public Handler completions() {
        return exchange -> answer(
                exchange,
                InferenceRequest::completion,
                format.text(),
                format.flavor().textIdPrefix());
    }

    /** OpenAI's Responses API, as vLLM, SGLang and llama-server serve it. */
    public Handler responses() {
        return exchange -> answer(exchange, InferenceRequest::responses, ConversationFormats.responses(), "resp_");
    }

    /** Anthropic's Messages API, as vLLM and llama-server serve it. */
    public Handler messages() {
        return exchange -> answer(exchange, InferenceRequest::messages, ConversationFormats.messages(), "msg_");
    }

    /**
     * OpenAI's audio transcriptions and translations, as vLLM serves them: a form with the audio in {@code file},
     * read as it streams in; the file's size and SHA-256 are journaled ({@link JournalEvent#UPLOAD}).
     */
    public Handler transcriptions() {
        return exchange -> {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            FileDigest file = new FileDigest();
            try {
                MultipartForm.read(
                        exchange.bodyStream(), exchange.header("Content-Type").orElse(""), name -> switch (name) {
                            case "model" -> model;
                            case "file" -> file;
                            default -> OutputStream.nullOutputStream();
                        });
            } catch (IllegalArgumentException e) {
                throw host.errors().error(ErrorKind.BAD_REQUEST, "Invalid form: " + e.getMessage());
            }
            Optional<String> requested =
                    model.size() == 0 ? Optional.empty() : Optional.of(model.toString(StandardCharsets.UTF_8));
            record(exchange, JournalEvent.REQUEST, requested, false);
            if (file.bytes < 0) {
                throw host.errors().error(ErrorKind.BAD_REQUEST, "Field required: file");
            }
            simulation
                    .journal()
                    .write(
                            JournalEvent.UPLOAD,
                            Json.object(
                                    "path", exchange.path(),
                                    "model", requested.orElse(null),
                                    "bytes", file.bytes,
                                    "sha256", HexFormat.of().formatHex(file.sha256.digest())));
            try (Admission admission = host.admit(requested, Purpose.GENERATION)) {
                exchange.json(200, Json.object("text", SimulatedText.text("audio", SimulatedText.NATURAL_LENGTH)));
            }
        };
    }

    /** Counts and hashes what is written; {@code bytes} stays -1 until something (even nothing) was. */
    private static final class FileDigest extends OutputStream {
        private final MessageDigest sha256;
        private long bytes = -1;

        FileDigest() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes = Math.max(bytes, 0) + len;
            sha256.update(b, off, len);
        }

        @Override
        public void close() {
            bytes = Math.max(bytes, 0); // an empty file part
        }
    }

    public Handler embeddings() {
        return exchange -> {
            JsonFields body = parse(exchange);
            List<String> inputs = inputs(body);
            record(exchange, JournalEvent.REQUEST, body.string("model"), false);
            try (Admission admission = host.admit(body.string("model"), Purpose.EMBEDDING)) {
                exchange.json(
                        200,
                        format.embeddings(
                                admission.model(),
                                inputs,
                                body.string("encoding_format").orElse("float").equals("base64")));
            }
        };
    }

    /**
     * Answers a generation request in {@code answers}' shapes: reads it, waits for admission, then generates at the
     * simulated speed, streaming each token as it comes when the request asks for a stream.
     */
    public void answer(
            Exchange exchange,
            BiFunction<JsonFields, ErrorFormat, InferenceRequest> reader,
            AnswerFormat answers,
            String idPrefix)
            throws IOException {
        InferenceRequest request = reader.apply(parse(exchange), host.errors());
        record(exchange, JournalEvent.REQUEST, request.model(), request.stream());
        if (Faults.strikes(simulation.knobs().faults().errorPercent())) {
            throw host.errors().error(ErrorKind.SERVER, "simulated engine failure");
        }
        try (Admission admission = host.admit(request.model(), Purpose.GENERATION)) {
            Generator generator = simulation.generator();
            Completion completion = Completion.plan(request, newId(idPrefix), admission.model(), generator.perToken());
            try {
                if (request.stream()) {
                    EventStream events = exchange.events();
                    for (Object event : answers.head(completion)) {
                        send(events, event);
                    }
                    generator.generate(
                            completion.tokens(), (index, token) -> send(events, answers.piece(completion, index)));
                    for (Object event : answers.tail(completion)) {
                        send(events, event);
                    }
                    if (answers.endsWithDone()) {
                        events.sendRaw("[DONE]");
                    }
                } else {
                    generator.generate(completion.tokens(), Generator.TokenSink.DISCARD);
                    exchange.json(200, answers.whole(completion));
                }
            } catch (IOException e) {
                record(exchange, JournalEvent.REQUEST_ABORTED, request.model(), request.stream());
            }
        }
    }

    private static void send(EventStream events, Object event) throws IOException {
        if (event instanceof NamedEvent named) {
            events.send(named.event(), named.data());
        } else {
            events.send(event);
        }
    }

    private JsonFields parse(Exchange exchange) throws IOException {
        try {
            return JsonFields.parse(exchange.body());
        } catch (JsonException e) {
            throw host.malformed(e.getMessage());
        }
    }

    private List<String> inputs(JsonFields body) {
        Object input = body.has("input") ? body.get("input") : body.get("content");
        List<String> inputs = new ArrayList<>();
        if (input instanceof String text) {
            inputs.add(text);
        } else if (input instanceof List<?> list) {
            list.stream()
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .forEach(inputs::add);
        }
        if (inputs.isEmpty()) {
            throw host.errors().error(ErrorKind.BAD_REQUEST, "\"input\" must be a string or a list of strings");
        }
        return inputs;
    }

    private void record(Exchange exchange, String event, Optional<String> model, boolean stream) {
        simulation
                .journal()
                .write(
                        event,
                        Json.object(
                                "path",
                                exchange.path(),
                                "model",
                                model.orElse(null),
                                "stream",
                                stream,
                                // the credentials the engine was sent, so tests see whose key reached it
                                "authorization",
                                exchange.header("Authorization").orElse(null),
                                "x_api_key",
                                exchange.header("x-api-key").orElse(null)));
    }

    private static String newId(String prefix) {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
