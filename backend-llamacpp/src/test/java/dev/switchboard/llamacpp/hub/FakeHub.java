package dev.switchboard.llamacpp.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/**
 * A Hugging Face hub on a local port, answering the calls llama.cpp makes as huggingface.co does:
 * {@code /api/models/<repo>/refs}, {@code /api/models/<repo>/tree/<commit>} and {@code
 * /<repo>/resolve/<commit>/<path>} with ranges. Failures are switched on per test.
 */
final class FakeHub extends Dispatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REFS = Pattern.compile("/api/models/([^/]+/[^/]+)/refs");
    private static final Pattern TREE = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/([0-9a-f]{40})");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([0-9a-f]{40})/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
    private volatile Optional<String> requiredToken = Optional.empty();
    private volatile Optional<FakeHub> storage = Optional.empty();
    private volatile boolean ignoreRanges;
    private volatile int treePageSize = Integer.MAX_VALUE;

    FakeHub() throws IOException {
        server.setDispatcher(this);
        server.start();
    }

    URI endpoint() {
        return server.url("/").uri();
    }

    /** A repository whose {@code main} branch is at {@code commit}. */
    Repo repo(String id, String commit) {
        Repo repo = new Repo(commit);
        repos.put(id, repo);
        return repo;
    }

    /** Answers 401 to calls without {@code Authorization: Bearer <token>}. */
    void requireToken(String token) {
        requiredToken = Optional.of(token);
    }

    /** The next download of the file sends half its bytes, then drops the connection. */
    void cutNextBodyOf(String path) {
        cutOnce.add(path);
    }

    /** Answers every range request with the whole file, as a server without range support does. */
    void ignoreRanges() {
        ignoreRanges = true;
    }

    /** Lists trees in pages of this many entries, linked by {@code Link: rel="next"}. */
    void pageTreesBy(int size) {
        treePageSize = size;
    }

    /** Redirects file downloads to another server, as the hub sends them to its storage. */
    void redirectFilesTo(FakeHub other) {
        storage = Optional.of(other);
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    List<RecordedRequest> requestsFor(String pathPart) {
        return requests.stream()
                .filter(r -> r.getUrl().encodedPath().contains(pathPart))
                .toList();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        if (requiredToken.isPresent()
                && !("Bearer " + requiredToken.get())
                        .equals(request.getHeaders().get("Authorization"))) {
            return error(401, "Invalid credentials in Authorization header", null);
        }
        Matcher m;
        if ((m = REFS.matcher(path)).matches()) {
            return withRepo(m.group(1), repo -> json(refs(repo)));
        }
        if ((m = TREE.matcher(path)).matches()) {
            String commit = m.group(2);
            return withRepo(m.group(1), repo -> tree(request, repo, commit));
        }
        if ((m = RESOLVE.matcher(path)).matches()) {
            String file = URI.create(m.group(3)).getPath();
            return withRepo(m.group(1), repo -> resolve(request, repo, file));
        }
        return error(404, "Not found", null);
    }

    private MockResponse withRepo(String id, java.util.function.Function<Repo, MockResponse> answer) {
        Repo repo = repos.get(id);
        // huggingface.co hides whether a repository exists: 401 with an error code
        return repo == null ? error(401, "Repository not found", "RepoNotFound") : answer.apply(repo);
    }

    private static ObjectNode refs(Repo repo) {
        ObjectNode refs = JSON.createObjectNode();
        ObjectNode main = refs.putArray("branches").addObject();
        main.put("name", "main").put("ref", "refs/heads/main").put("targetCommit", repo.commit);
        refs.putArray("tags");
        refs.putArray("converts");
        return refs;
    }

    private MockResponse tree(RecordedRequest request, Repo repo, String commit) {
        if (!commit.equals(repo.commit)) {
            return error(404, "Invalid rev id: " + commit, "RevisionNotFound");
        }
        List<HubFile> files = List.copyOf(repo.files.values());
        int from = Optional.ofNullable(request.getUrl().queryParameter("cursor"))
                .map(Integer::parseInt)
                .orElse(0);
        int to = (int) Math.min((long) from + treePageSize, files.size());
        ArrayNode page = JSON.createArrayNode();
        files.subList(from, to).forEach(f -> f.describe(page.addObject()));
        MockResponse.Builder response = new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body(page.toString());
        if (to < files.size()) {
            String next = request.getUrl()
                    .newBuilder()
                    .setQueryParameter("cursor", String.valueOf(to))
                    .build()
                    .toString();
            response.addHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        return response.build();
    }

    private MockResponse resolve(RecordedRequest request, Repo repo, String path) {
        HubFile file = repo.files.get(path);
        if (file == null) {
            return error(404, "Entry not found", "EntryNotFound");
        }
        if (storage.isPresent()) {
            return new MockResponse.Builder()
                    .code(302)
                    .setHeader(
                            "Location",
                            storage.get().server.url(request.getUrl().encodedPath()))
                    .build();
        }
        String range = request.getHeaders().get("Range");
        Matcher m = range == null || ignoreRanges ? null : RANGE.matcher(range);
        long start = m != null && m.matches() ? Long.parseLong(m.group(1)) : 0;
        byte[] content = file.content;
        MockResponse.Builder response = new MockResponse.Builder()
                .code(start > 0 ? 206 : 200)
                .setHeader("Accept-Ranges", "bytes")
                .body(new Buffer().write(content, (int) start, content.length - (int) start));
        if (start > 0) {
            response.setHeader("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        if (cutOnce.remove(path)) {
            response.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
        }
        return response.build();
    }

    private static MockResponse json(ObjectNode body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    private static MockResponse error(int status, String message, String errorCode) {
        MockResponse.Builder response = new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(JSON.createObjectNode().put("error", message).toString());
        if (errorCode != null) {
            response.setHeader("X-Error-Code", errorCode);
        }
        return response.build();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A repository's files at its current commit. */
    static final class Repo {
        private volatile String commit;
        private final Map<String, HubFile> files = new TreeMap<>();

        Repo(String commit) {
            this.commit = commit;
        }

        /** Adds a file stored in LFS, listed with its true SHA-256. */
        Repo file(String path, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            files.put(path, new HubFile(path, bytes, hex("SHA-256", bytes), true));
            return this;
        }

        /** Adds a small file kept in git, listed with git's SHA-1 of the blob. */
        Repo gitFile(String path, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII);
            byte[] blob = new byte[header.length + bytes.length];
            System.arraycopy(header, 0, blob, 0, header.length);
            System.arraycopy(bytes, 0, blob, header.length, bytes.length);
            files.put(path, new HubFile(path, bytes, hex("SHA-1", blob), false));
            return this;
        }

        /** Adds an LFS file whose listed hash does not match the bytes served. */
        Repo corruptFile(String path, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            files.put(
                    path,
                    new HubFile(path, bytes, hex("SHA-256", "other bytes".getBytes(StandardCharsets.UTF_8)), true));
            return this;
        }

        /** Moves {@code main} to a new commit, keeping the files. */
        Repo commit(String newCommit) {
            commit = newCommit;
            return this;
        }

        String oid(String path) {
            return files.get(path).oid;
        }

        private static String hex(String algorithm, byte[] bytes) {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record HubFile(String path, byte[] content, String oid, boolean lfs) {
        /** The entry as the tree listing shows it. */
        void describe(ObjectNode node) {
            node.put("type", "file");
            node.put("size", content.length);
            node.put("path", path);
            if (lfs) {
                node.put("oid", "0".repeat(40));
                node.putObject("lfs")
                        .put("oid", oid)
                        .put("size", content.length)
                        .put("pointerSize", 134);
            } else {
                node.put("oid", oid);
            }
        }
    }
}
