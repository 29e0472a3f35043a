package dev.switchboard.llamacpp.discovery;

import java.util.Objects;

/**
 * A Hugging Face model reference as {@code --hf-repo} takes it: {@code <user>/<model>[:quant]}.
 *
 * @param repo the repository id, {@code user/model}
 * @param tag the quantization tag, or an empty string for the default choice
 */
public record HfReference(String repo, String tag) {

    public HfReference {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(tag, "tag");
    }

    /** Splits {@code user/model:tag}; the tag is what follows the last colon. */
    public static HfReference parse(String reference) {
        int colon = reference.lastIndexOf(':');
        return colon < 0
                ? new HfReference(reference, "")
                : new HfReference(reference.substring(0, colon), reference.substring(colon + 1));
    }

    /**
     * Whether a string is a repository id llama.cpp accepts: letters, digits and {@code _}, with
     * {@code /}, {@code .} and {@code -} only between them, and exactly one {@code /}.
     */
    public static boolean isValidRepoId(String repo) {
        if (repo.isEmpty() || repo.length() > 256) {
            return false;
        }
        int slashes = 0;
        boolean afterSpecial = true;
        for (char c : repo.toCharArray()) {
            boolean base = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            if (base) {
                afterSpecial = false;
            } else if ((c == '/' || c == '.' || c == '-') && !afterSpecial) {
                slashes += c == '/' ? 1 : 0;
                afterSpecial = true;
            } else {
                return false;
            }
        }
        return !afterSpecial && slashes == 1;
    }

    @Override
    public String toString() {
        return tag.isEmpty() ? repo : repo + ":" + tag;
    }
}
