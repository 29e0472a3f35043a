package dev.switchboard.core.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    @Test
    void aClientBuiltOnFirstUseIsOneClientForEveryCaller() throws Exception {
        Supplier<HttpClient> client = HttpClients.buildOnFirstUse(HttpClient.newBuilder());
        List<Callable<HttpClient>> callers = IntStream.range(0, 8)
                .mapToObj(i -> (Callable<HttpClient>) client::get)
                .toList();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<HttpClient> clients = threads.invokeAll(callers).stream()
                    .map(HttpClientsTest::get)
                    .toList();

            assertThat(clients).hasSize(8).doesNotContainNull();
            assertThat(clients).allSatisfy(each -> assertThat(each).isSameAs(clients.get(0)));
            assertThat(client.get()).isSameAs(clients.get(0));
        } finally {
            client.get().close();
        }
    }

    @Test
    void aClientBuiltInBackgroundIsTheBuildersClient() {
        HttpClient client = HttpClients.buildInBackground(
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .join();
        try {
            assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        } finally {
            client.close();
        }
    }

    private static HttpClient get(Future<HttpClient> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
