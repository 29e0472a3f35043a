package dev.switchboard.llamacpp.preset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses llama-server preset files ({@code --models-preset}) with llama.cpp's INI grammar.
 *
 * <ul>
 *   <li>{@code [name]} starts a model section, {@code [*]} the defaults for every model; keys
 *       before the first section belong to a section named {@code default}, as in llama.cpp.
 *   <li>{@code key = value}: the key is an option name without dashes ({@code ctx-size}, {@code
 *       c}, {@code no-mmap}) or its environment name ({@code LLAMA_ARG_CTX_SIZE}); {@code version}
 *       is reserved and skipped.
 *   <li>{@code ;} and {@code #} start a comment, also after a value: a value ends at the first of
 *       them. There are no quotes or escapes.
 * </ul>
 *
 * <p>It is stricter than llama.cpp where llama.cpp silently does something surprising: a repeated
 * section (which llama.cpp empties) and flag values that are not booleans are errors, and {@code
 * stop-timeout} must be a number. It is more lenient in one way: lines may be indented.
 */
public final class PresetParser {

    /** The section llama.cpp puts keys in before any header. */
    public static final String DEFAULT_SECTION = "default";

    public static final String GLOBAL_SECTION = "*";

    private static final String VERSION_KEY = "version";
    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)[ \\t]*=[ \\t]*(.*)");
    private static final Pattern SECTION = Pattern.compile("\\[([^\\]]*)\\][ \\t]*([;#].*)?");
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\n|\\r");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    private final Path file;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private Section current = new Section(DEFAULT_SECTION, 0);

    private record Section(String name, int line, Map<LlamaArg, String> options) {
        Section(String name, int line) {
            this(name, line, new LinkedHashMap<>());
        }
    }

    private PresetParser(Path file) {
        this.file = file;
    }

    /**
     * Reads and parses a preset file.
     *
     * @throws PresetException when the file is missing or invalid
     */
    public static PresetFile parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new PresetException(file, 0, null, "preset file does not exist");
        }
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses preset text.
     *
     * @param file the file name used in error messages
     * @throws PresetException when the text is invalid
     */
    public static PresetFile parse(Path file, String text) throws PresetException {
        PresetParser parser = new PresetParser(file);
        String[] lines = LINE_BREAK.split(text, -1);
        for (int i = 0; i < lines.length; i++) {
            parser.line(i + 1, lines[i].strip());
        }
        return parser.result();
    }

    private void line(int number, String line) throws PresetException {
        if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
            return;
        }
        Matcher section = SECTION.matcher(line);
        if (section.matches()) {
            startSection(number, section.group(1).strip());
            return;
        }
        Matcher keyValue = KEY_VALUE.matcher(line);
        if (!keyValue.matches()) {
            throw new PresetException(file, number, null, "cannot parse line '" + line + "'");
        }
        String key = keyValue.group(1);
        if (!key.equals(VERSION_KEY)) {
            option(number, key, stripComment(keyValue.group(2)));
        }
    }

    private void startSection(int number, String name) throws PresetException {
        if (name.isEmpty()) {
            throw new PresetException(file, number, null, "a section needs a name");
        }
        if (sections.containsKey(name)) {
            throw new PresetException(file, number, null, "section [" + name + "] appears twice");
        }
        current = new Section(name, number);
        sections.put(name, current);
    }

    private void option(int number, String key, String value) throws PresetException {
        LlamaArg arg = LlamaArgs.byPresetKey(key)
                .orElseThrow(() -> new PresetException(
                        file, number, key, "option '" + key + "' not recognized in preset '" + current.name() + "'"));
        current.options().put(arg, checked(number, key, arg, value));
        sections.putIfAbsent(current.name(), current); // the implicit section exists once it has a key
    }

    /** The value as stored: negated flag keys ({@code no-mmap = true}) become their positive option. */
    private String checked(int number, String key, LlamaArg arg, String value) throws PresetException {
        switch (arg.kind()) {
            case FLAG, PRESET_BOOLEAN -> {
                if (!LlamaBooleans.isTruthy(value) && !LlamaBooleans.isFalsey(value)) {
                    throw new PresetException(
                            file,
                            number,
                            key,
                            "option '" + key + "' takes on/off, true/false, 1/0 or enabled/disabled, got '" + value
                                    + "'");
                }
                return arg.isNegatedKey(key) ? String.valueOf(!LlamaBooleans.isTruthy(value)) : value;
            }
            case PRESET_SECONDS -> {
                if (!SECONDS.matcher(value).matches()) {
                    throw new PresetException(
                            file, number, key, "option '" + key + "' takes whole seconds, got '" + value + "'");
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    private static String stripComment(String value) {
        int comment = 0;
        while (comment < value.length() && value.charAt(comment) != ';' && value.charAt(comment) != '#') {
            comment++;
        }
        return value.substring(0, comment).strip();
    }

    private PresetFile result() {
        Section global = sections.remove(GLOBAL_SECTION);
        List<PresetSection> models = sections.values().stream()
                .map(s -> new PresetSection(s.name(), s.line(), new PresetOptions(s.options())))
                .toList();
        PresetOptions defaults = global == null ? PresetOptions.empty() : new PresetOptions(global.options());
        return new PresetFile(file, defaults, models);
    }
}
