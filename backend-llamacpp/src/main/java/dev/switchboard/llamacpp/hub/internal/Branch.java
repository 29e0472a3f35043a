package dev.switchboard.llamacpp.hub.internal;

/**
 * A branch of a repository and the commit it points at; the cache keeps it as {@code refs/<name>}.
 *
 * @param name the branch name, such as {@code main}
 * @param commit the commit id, 40 hex digits
 */
public record Branch(String name, String commit) {}
