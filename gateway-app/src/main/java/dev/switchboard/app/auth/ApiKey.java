package dev.switchboard.app.auth;

import java.util.Objects;

/**
 * One accepted key.
 *
 * @param name what logs and messages call it (never the secret itself)
 * @param secret the key clients send
 * @param scope what it may do
 */
public record ApiKey(String name, String secret, KeyScope scope) {

    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("API key '" + name + "' is empty");
        }
    }

    /** A key with every right, as {@code --api-key} and a plain string in {@code server.apiKeys} give. */
    public static ApiKey fullScope(String secret) {
        return new ApiKey("unnamed", secret, KeyScope.full());
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", " + scope + "]"; // never the secret
    }
}
