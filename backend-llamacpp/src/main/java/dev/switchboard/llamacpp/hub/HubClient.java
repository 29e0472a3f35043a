package dev.switchboard.llamacpp.hub;

import dev.switchboard.llamacpp.hub.internal.Branch;
import dev.switchboard.llamacpp.hub.internal.HubJson;
import dev.switchboard.llamacpp.hub.internal.RangeBody;
import dev.switchboard.llamacpp.hub.internal.RepoFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Hugging Face hub calls llama.cpp makes to download a model: the repository's branches
 * ({@code GET /api/models/<repo>/refs}), its files at a commit ({@code GET
 * /api/models/<repo>/tree/<commit>?recursive=true}, following {@code Link: rel="next"} pages) and
 * a file's bytes ({@code GET /<repo>/resolve/<commit>/<path>}, with {@code Range} to resume).
 *
 * <p>The token goes out as {@code Authorization: Bearer} to the endpoint only. Downloads redirect to
 * storage on other hosts, so this class follows redirects itself and leaves the token off those.
 */
public final class HubClient {

    /** Where llama.cpp downloads from unless told otherwise. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co/");

    private static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern NEXT_PAGE = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    /** What the hub's {@code X-Error-Code} header means, as a status; it answers 401 for a missing repository. */
    private static final Map<String, Integer> ERROR_CODES =
            Map.of("RepoNotFound", 404, "RevisionNotFound", 404, "EntryNotFound", 404, "GatedRepo", 403);

    private final URI endpoint;
    private final Optional<String> token;
    private final Supplier<HttpClient> http;

    /**
     * @param endpoint the hub, such as {@link #DEFAULT_ENDPOINT} or a mirror
     * @param token an access token for private and gated repositories
     * @param http the client to send with, asked for at each request (so that it can be built at the
     *     first, see {@link dev.switchboard.core.forward.HttpClients#buildOnFirstUse}); one that does not
     *     follow redirects itself (the default of {@link HttpClient#newHttpClient()}) keeps the token on
     *     the hub
     */
    public HubClient(URI endpoint, Optional<String> token, Supplier<HttpClient> http) {
        String base = endpoint.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * The hub llama.cpp would use: {@code MODEL_ENDPOINT}, else {@code HF_ENDPOINT}, else {@link
     * #DEFAULT_ENDPOINT}; the token from {@code HF_TOKEN}. Empty variables count as unset.
     */
    public static HubClient fromEnvironment(Map<String, String> env, Supplier<HttpClient> http) {
        URI endpoint = variable(env, "MODEL_ENDPOINT")
                .or(() -> variable(env, "HF_ENDPOINT"))
                .map(URI::create)
                .orElse(DEFAULT_ENDPOINT);
        return new HubClient(endpoint, variable(env, "HF_TOKEN"), http);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The branch llama.cpp downloads from: {@code main}, else the first one listed. */
    Branch branch(String repo) throws IOException {
        HttpResponse<String> response = sendApi(endpoint.resolve("api/models/" + repo + "/refs"));
        return HubJson.branch(response.body())
                .orElseThrow(() -> new HubException(404, "repository " + repo + " has no branch to download from"));
    }

    /** Every file of the repository at a commit, across all pages of the listing. */
    List<RepoFile> files(String repo, String commit) throws IOException {
        List<RepoFile> files = new ArrayList<>();
        Optional<URI> page =
                Optional.of(endpoint.resolve("api/models/" + repo + "/tree/" + commit + "?recursive=true"));
        while (page.isPresent()) {
            HttpResponse<String> response = sendApi(page.get());
            files.addAll(HubJson.files(response.body()));
            page = nextPage(response);
        }
        return files;
    }

    /**
     * A file's bytes from {@code offset} on; the body starts at 0 instead when the server ignores
     * the range.
     */
    RangeBody open(String repo, String commit, String path, long offset) throws IOException {
        URI uri = endpoint.resolve(repo + "/resolve/" + commit + "/" + encodePath(path));
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> response = send(uri, headers, BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 206 && offset > 0) {
            return new RangeBody(offset, response.body());
        }
        if (status == 200) {
            return new RangeBody(0, response.body());
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        }
        throw failure(response, body);
    }

    private HttpResponse<String> sendApi(URI uri) throws IOException {
        HttpResponse<String> response = send(uri, Map.of("Accept", "application/json"), BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw failure(response, response.body());
        }
        return response;
    }

    private static HubException failure(HttpResponse<?> response, String body) {
        int status = response.headers()
                .firstValue("X-Error-Code")
                .map(ERROR_CODES::get)
                .orElse(response.statusCode());
        String reason = HubJson.error(body).orElse("HTTP " + response.statusCode());
        return new HubException(status, "GET " + response.request().uri() + " failed: " + reason);
    }

    /** Sends a GET, following redirects with the token kept to the endpoint's origin. */
    private <T> HttpResponse<T> send(URI uri, Map<String, String> headers, BodyHandler<T> handler) throws IOException {
        URI target = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).GET();
            headers.forEach(request::header);
            if (sameOrigin(target, endpoint)) {
                token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            }
            HttpResponse<T> response = sendOnce(request.build(), handler);
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            if (response.body() instanceof InputStream body) {
                body.close();
            }
            if (redirects == MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + uri);
            }
            target = target.resolve(location.get());
        }
    }

    private <T> HttpResponse<T> sendOnce(HttpRequest request, BodyHandler<T> handler) throws IOException {
        try {
            return http.get().send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + request.uri());
        }
    }

    private static Optional<URI> nextPage(HttpResponse<?> response) {
        return response.headers().allValues("Link").stream()
                .flatMap(link -> Arrays.stream(link.split(",")))
                .map(NEXT_PAGE::matcher)
                .filter(Matcher::find)
                .map(m -> response.uri().resolve(m.group(1)))
                .findFirst();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** Percent-encodes each segment of a repository path, keeping the slashes between them. */
    private static String encodePath(String path) {
        return Arrays.stream(path.split("/"))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }
}
