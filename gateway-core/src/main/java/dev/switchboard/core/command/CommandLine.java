package dev.switchboard.core.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a configured command string into arguments the way llama-swap does: macros such as {@code
 * ${PORT}} are substituted, then the text is split like a POSIX shell would (quotes, backslash
 * escapes, line continuations, {@code #} comments), without running a shell.
 */
public final class CommandLine {
    private static final Pattern MACRO = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private CommandLine() {}

    /**
     * Substitutes {@code ${NAME}} macros.
     *
     * @throws IllegalArgumentException naming the first macro that has no value
     */
    public static String expand(String text, Map<String, String> macros) {
        Matcher m = MACRO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = macros.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown macro ${" + m.group(1) + "} in '" + text + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Splits a command line into arguments.
     *
     * @throws IllegalArgumentException on an unterminated quote
     */
    public static List<String> split(String text) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\'
                        && quote == '"'
                        && i + 1 < text.length()
                        && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                    current.append(text.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                if (next != '\n') { // a backslash-newline continues the line
                    current.append(next);
                    inWord = true;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    args.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote in command: " + text);
        }
        if (inWord) {
            args.add(current.toString());
        }
        return args;
    }

    /**
     * Quotes words for a POSIX shell, and so for {@link #split}, which gives them back unchanged: each
     * in single quotes, a single quote inside it as {@code '\''}.
     */
    public static String quote(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return out.toString();
    }
}
