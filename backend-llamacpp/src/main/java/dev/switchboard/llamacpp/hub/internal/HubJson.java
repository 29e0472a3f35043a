package dev.switchboard.llamacpp.hub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the hub's JSON answers the way llama.cpp does, keeping only entries that are safe to turn
 * into paths in the cache: a name that could climb out of its folder, or an id that is not a hex
 * hash, is skipped with a warning.
 */
public final class HubJson {

    private static final Logger LOG = LoggerFactory.getLogger(HubJson.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern OID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

    private HubJson() {}

    /**
     * The branch to download from, out of {@code GET /api/models/<repo>/refs}: {@code main}, else
     * the first valid branch.
     */
    public static Optional<Branch> branch(String refs) throws IOException {
        Optional<Branch> first = Optional.empty();
        for (JsonNode node : JSON.readTree(refs).path("branches")) {
            String name = node.path("name").asText("");
            String commit = node.path("targetCommit").asText("");
            if (!isSafeRelativePath(name) || !COMMIT.matcher(commit).matches()) {
                LOG.warn("skipping branch {} at {}: not a usable name and commit", name, commit);
                continue;
            }
            Branch branch = new Branch(name, commit);
            if (name.equals("main")) {
                return Optional.of(branch);
            }
            first = first.or(() -> Optional.of(branch));
        }
        return first;
    }

    /**
     * The files of one page of {@code GET /api/models/<repo>/tree/<commit>?recursive=true}; folders
     * are left out. The content hash is the LFS one when the file is in LFS, else git's.
     */
    public static List<RepoFile> files(String tree) throws IOException {
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode node : JSON.readTree(tree)) {
            if (!node.path("type").asText().equals("file")) {
                continue;
            }
            String path = node.path("path").asText("");
            JsonNode lfs = node.path("lfs");
            boolean inLfs = lfs.isObject();
            String oid = (inLfs ? lfs : node).path("oid").asText("");
            if (!isSafeRelativePath(path) || !OID.matcher(oid).matches()) {
                LOG.warn("skipping repository file {} with oid {}: not a usable path and hash", path, oid);
                continue;
            }
            files.add(new RepoFile(path, node.path("size").asLong(), oid.toLowerCase(Locale.ROOT), inLfs));
        }
        return files;
    }

    /** The hub's error message from a failed call's body ({@code {"error": "..."}}), if it sent one. */
    public static Optional<String> error(String body) {
        try {
            return Optional.ofNullable(JSON.readTree(body).path("error").textValue())
                    .filter(s -> !s.isBlank());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Whether a path stays inside the folder it is resolved against: relative, no empty, . or .. parts. */
    static boolean isSafeRelativePath(String path) {
        return !path.isEmpty()
                && !path.contains("\\")
                && Arrays.stream(path.split("/", -1)).noneMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
    }
}
