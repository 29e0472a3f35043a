package dev.switchboard.app.config;

/**
 * A configuration file that cannot be used. The message names the file, the line and the key, as
 * compilers do, for example {@code config.yaml:12: scheduler.maxLoaded: must be a number, got
 * 'four'}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final String problem;

    /**
     * @param file the file as the user named it
     * @param line the 1-based line, or 0 when the problem concerns the whole file
     * @param key the dotted path of the offending key, or an empty string
     * @param problem what is wrong, in a few words
     */
    public ConfigException(String file, int line, String key, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
