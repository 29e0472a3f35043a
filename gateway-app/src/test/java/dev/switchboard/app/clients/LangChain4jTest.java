package dev.switchboard.app.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.switchboard.simulator.SimulatedText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's OpenAI and Ollama integrations ({@code langchain4j-open-ai}, {@code
 * langchain4j-ollama}, versions pinned in the root pom) against the gateway: chat, streaming chat
 * and embeddings on each API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LangChain4jTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private ClientsGateway gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = ClientsGateway.start(dir);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void openAiChat() {
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(gateway.url() + "/v1")
                .apiKey("unused")
                .modelName("vllm")
                .timeout(TIMEOUT)
                .build();

        assertThat(model.chat("hello")).isEqualTo(SimulatedText.text("hello", SimulatedText.NATURAL_LENGTH));
    }

    @Test
    void openAiStreamingChat() throws Exception {
        StreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(gateway.url() + "/v1")
                .apiKey("unused")
                .modelName("llama")
                .timeout(TIMEOUT)
                .build();

        Streamed streamed = stream(model, "stream please");

        assertThat(streamed.partials.toString())
                .isEqualTo(SimulatedText.text("stream please", SimulatedText.NATURAL_LENGTH));
        assertThat(streamed.complete.get(60, TimeUnit.SECONDS).aiMessage().text())
                .isEqualTo(streamed.partials.toString());
    }

    @Test
    void openAiEmbeddings() {
        EmbeddingModel model = OpenAiEmbeddingModel.builder()
                .baseUrl(gateway.url() + "/v1")
                .apiKey("unused")
                .modelName("llama")
                .timeout(TIMEOUT)
                .build();

        assertVector(model.embed("embed me").content().vector(), SimulatedText.embedding("embed me"));
    }

    @Test
    void ollamaChat() {
        ChatModel model = OllamaChatModel.builder()
                .baseUrl(gateway.url())
                .modelName("sglang")
                .timeout(TIMEOUT)
                .build();

        assertThat(model.chat("hello")).isEqualTo(SimulatedText.text("hello", SimulatedText.NATURAL_LENGTH));
    }

    @Test
    void ollamaStreamingChat() throws Exception {
        StreamingChatModel model = OllamaStreamingChatModel.builder()
                .baseUrl(gateway.url())
                .modelName("qwen2.5:7b")
                .timeout(TIMEOUT)
                .build();

        Streamed streamed = stream(model, "stream please");

        assertThat(streamed.partials.toString())
                .isEqualTo(SimulatedText.text("stream please", SimulatedText.NATURAL_LENGTH));
        ChatResponse response = streamed.complete.get(60, TimeUnit.SECONDS);
        assertThat(response.aiMessage().text()).isEqualTo(streamed.partials.toString());
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(SimulatedText.NATURAL_LENGTH);
    }

    @Test
    void ollamaEmbeddings() {
        EmbeddingModel model = OllamaEmbeddingModel.builder()
                .baseUrl(gateway.url())
                .modelName("llama")
                .timeout(TIMEOUT)
                .build();

        assertVector(model.embed("embed me").content().vector(), SimulatedText.embedding("embed me"));
    }

    private static void assertVector(float[] actual, float[] expected) {
        assertThat(actual).hasSize(SimulatedText.EMBEDDING_DIMENSIONS);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-6f));
        }
    }

    private record Streamed(StringBuilder partials, CompletableFuture<ChatResponse> complete) {}

    private static Streamed stream(StreamingChatModel model, String prompt) throws Exception {
        Streamed streamed = new Streamed(new StringBuilder(), new CompletableFuture<>());
        model.chat(prompt, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                synchronized (streamed.partials) {
                    streamed.partials.append(partial);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                streamed.complete.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                streamed.complete.completeExceptionally(error);
            }
        });
        streamed.complete.get(60, TimeUnit.SECONDS);
        return streamed;
    }
}
