package dev.switchboard.core.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
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

    /**
     * The JDK's default TLS context is the one trusting this test's root only once the client is
     * built, so the request succeeds only where the context is taken at the first TLS connection; no
     * other test in this module connects over TLS before (the context, once taken, stays).
     */
    @Test
    void aClientBuiltInBackgroundTakesTheDefaultTlsContextAtItsFirstTlsConnection() throws Exception {
        HeldCertificate root =
                new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate untrustedRoot =
                new HeldCertificate.Builder().certificateAuthority(0).build();
        SSLContext jdkDefault = SSLContext.getDefault();
        HttpClient client =
                HttpClients.buildInBackground(HttpClient.newBuilder()).join();
        try (MockWebServer trusted = httpsServer("localhost", root);
                MockWebServer otherName = httpsServer("example.org", root);
                MockWebServer otherRoot = httpsServer("localhost", untrustedRoot)) {
            SSLContext.setDefault(new HandshakeCertificates.Builder()
                    .addTrustedCertificate(root.certificate())
                    .build()
                    .sslContext());

            HttpResponse<String> response = client.send(get(trusted), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("over TLS");
            assertThatThrownBy(() -> client.send(get(otherName), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
            assertThatThrownBy(() -> client.send(get(otherRoot), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            SSLContext.setDefault(jdkDefault);
            client.close();
        }
    }

    /** A server on loopback with a certificate for {@code host}, signed by {@code root}. */
    private static MockWebServer httpsServer(String host, HeldCertificate root) throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder()
                .addSubjectAlternativeName(host)
                .signedBy(root)
                .build();
        MockWebServer server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(certificate)
                .build()
                .sslSocketFactory());
        server.enqueue(new MockResponse.Builder().body("over TLS").build());
        server.start(0);
        return server;
    }

    private static HttpRequest get(MockWebServer server) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + server.getPort() + "/"))
                .build();
    }

    private static HttpClient get(Future<HttpClient> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
