package dev.switchboard.app.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The accepted keys, looked up in time that depends neither on the presented key nor on how much of
 * it matches: keys are compared as SHA-256 digests (all the same length), every one of them, every
 * time.
 */
public final class ApiKeys {
    private final List<ApiKey> keys;
    private final List<byte[]> digests;

    public ApiKeys(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
        this.digests = this.keys.stream().map(k -> digest(k.secret())).toList();
    }

    /** Whether any key is configured; without one, the gateway is open. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key with this secret. */
    public Optional<ApiKey> find(String presented) {
        byte[] wanted = digest(presented);
        ApiKey found = null;
        for (int i = 0; i < digests.size(); i++) {
            boolean equal = MessageDigest.isEqual(digests.get(i), wanted);
            found = equal ? keys.get(i) : found;
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
