package dev.switchboard.tools.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.tools.ToolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * llama-server's edit_file: exact replacements matched against the original content, each old
 * text unique and no two overlapping. When an old text matches only after normalising trailing
 * whitespace and typographic quotes, dashes and spaces, the lines it does not touch keep their
 * bytes.
 */
final class EditFile extends Tool {
    static final EditFile INSTANCE = new EditFile();

    private record Edit(String oldText, String newText) {}

    private record Match(int edit, int index, int length, String newText) {}

    private EditFile() {
        super("edit_file", "Edit file", true, false, true);
    }

    @Override
    String type() {
        return "server";
    }

    @Override
    ObjectNode definition() {
        return function(
                name,
                "Edit a file using exact text replacement. Each edits[].old_text must be unique in the file and is"
                        + " matched against the original content, not incrementally. Merge nearby changes into one"
                        + " edit instead of overlapping edits. Use write_file to replace the whole file.",
                """
                {"type":"object","properties":{
                  "path":{"type":"string","description":"Path to the file to edit"},
                  "edits":{"type":"array","description":"One or more exact text replacements to apply",
                    "items":{"type":"object","properties":{
                      "old_text":{"type":"string","description":"Exact text to find; must be unique in the file and must not overlap with other edits"},
                      "new_text":{"type":"string","description":"Text to replace old_text with"}},
                     "required":["old_text","new_text"]}}},
                 "required":["path","edits"]}""");
    }

    @Override
    ObjectNode invoke(Call call) {
        String path = call.string("path");
        JsonNode editsJson = call.params().get("edits");
        if (editsJson == null || !editsJson.isArray() || editsJson.isEmpty()) {
            return error("\"edits\" must be a non-empty array");
        }
        List<Edit> edits = new ArrayList<>();
        for (JsonNode e : editsJson) {
            JsonNode oldText = e.get("old_text");
            JsonNode newText = e.get("new_text");
            if (oldText == null || !oldText.isTextual() || newText == null || !newText.isTextual()) {
                throw new ToolException(
                        ToolException.Kind.BAD_REQUEST,
                        "edits[" + edits.size() + "] needs string old_text and new_text");
            }
            if (oldText.asText().isEmpty()) {
                return error("edits[" + edits.size() + "].old_text must not be empty");
            }
            edits.add(new Edit(oldText.asText(), newText.asText()));
        }
        ToolIo io = call.io().get();
        byte[] bytes = io.readFile(path);
        if (bytes == null) {
            return error("failed to open file: " + path);
        }
        String original = new String(bytes, StandardCharsets.UTF_8);
        String normalizedOriginal = normalize(original);
        boolean fuzzy = false;
        for (int i = 0; i < edits.size(); i++) {
            if (original.contains(edits.get(i).oldText())) {
                continue;
            }
            if (!normalizedOriginal.contains(normalize(edits.get(i).oldText()))) {
                return error("could not find edits[" + i + "].old_text in " + path
                        + ", it must match the file's current content exactly");
            }
            fuzzy = true;
        }
        String base = fuzzy ? normalizedOriginal : original;
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            String needle =
                    fuzzy ? normalize(edits.get(i).oldText()) : edits.get(i).oldText();
            // uniqueness always on normalised text, so a whitespace-only duplicate still counts
            int occurrences = count(normalizedOriginal, normalize(edits.get(i).oldText()));
            if (occurrences > 1) {
                return error("found " + occurrences + " occurrences of edits[" + i + "].old_text in " + path
                        + ", it must be unique");
            }
            matches.add(new Match(
                    i, base.indexOf(needle), needle.length(), edits.get(i).newText()));
        }
        matches.sort(Comparator.comparingInt(Match::index));
        for (int i = 1; i < matches.size(); i++) {
            Match previous = matches.get(i - 1);
            if (previous.index() + previous.length() > matches.get(i).index()) {
                return error("edits[" + previous.edit() + "] and edits["
                        + matches.get(i).edit() + "] overlap in " + path
                        + "; merge them into one edit or target disjoint regions");
            }
        }
        String updated = fuzzy ? applyKeepingUntouchedLines(original, base, matches) : apply(base, matches, 0);
        if (updated.equals(original)) {
            return error("no changes made: the replacement(s) produced identical content");
        }
        if (!io.writeFile(path, updated.getBytes(StandardCharsets.UTF_8))) {
            return error("failed to write file: " + path);
        }
        return JSON.createObjectNode()
                .put("result", "file edited successfully")
                .put("path", path)
                .put("edits_applied", matches.size());
    }

    private static int count(String content, String needle) {
        if (needle.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (int at = content.indexOf(needle); at >= 0; at = content.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** Replacements sorted by index and disjoint, applied from the end. */
    private static String apply(String content, List<Match> matches, int offset) {
        StringBuilder result = new StringBuilder(content);
        for (int i = matches.size() - 1; i >= 0; i--) {
            Match m = matches.get(i);
            int at = m.index() - offset;
            result.replace(at, at + m.length(), m.newText());
        }
        return result.toString();
    }

    /** Like {@link #apply}, but lines no replacement touches come from the original content. */
    private static String applyKeepingUntouchedLines(String original, String base, List<Match> matches) {
        List<String> originalLines = linesWithEndings(original);
        List<int[]> spans = new ArrayList<>();
        int offset = 0;
        for (String line : linesWithEndings(base)) {
            spans.add(new int[] {offset, offset + line.length()});
            offset += line.length();
        }
        record Group(int startLine, int endLine, List<Match> matches) {}
        List<Group> groups = new ArrayList<>();
        for (Match m : matches) {
            int start = 0;
            while (start < spans.size() && !(m.index() >= spans.get(start)[0] && m.index() < spans.get(start)[1])) {
                start++;
            }
            int end = start;
            while (end < spans.size() && spans.get(end)[1] < m.index() + m.length()) {
                end++;
            }
            int endExclusive = Math.min(end + 1, spans.size());
            if (!groups.isEmpty() && start < groups.getLast().endLine()) {
                Group last = groups.removeLast();
                List<Match> merged = new ArrayList<>(last.matches());
                merged.add(m);
                groups.add(new Group(last.startLine(), Math.max(last.endLine(), endExclusive), merged));
            } else {
                groups.add(new Group(start, endExclusive, List.of(m)));
            }
        }
        StringBuilder result = new StringBuilder();
        int next = 0;
        for (Group g : groups) {
            for (int i = next; i < g.startLine(); i++) {
                result.append(originalLines.get(i));
            }
            int from = spans.get(g.startLine())[0];
            int to = spans.get(g.endLine() - 1)[1];
            result.append(apply(base.substring(from, to), g.matches(), from));
            next = g.endLine();
        }
        for (int i = next; i < originalLines.size(); i++) {
            result.append(originalLines.get(i));
        }
        return result.toString();
    }

    private static List<String> linesWithEndings(String content) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < content.length()) {
            int nl = content.indexOf('\n', start);
            if (nl < 0) {
                lines.add(content.substring(start));
                break;
            }
            lines.add(content.substring(start, nl + 1));
            start = nl + 1;
        }
        return lines;
    }

    /** Per line: trailing blanks dropped, typographic quotes, dashes and spaces made ASCII. */
    static String normalize(String content) {
        StringBuilder result = new StringBuilder(content.length());
        int start = 0;
        while (true) {
            int nl = content.indexOf('\n', start);
            String line = nl < 0 ? content.substring(start) : content.substring(start, nl);
            result.append(normalizeLine(line));
            if (nl < 0) {
                return result.toString();
            }
            result.append('\n');
            start = nl + 1;
        }
    }

    private static String normalizeLine(String line) {
        int end = line.length();
        while (end > 0
                && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c >= '\u2018' && c <= '\u201B') {
                c = '\'';
            } else if (c >= '\u201C' && c <= '\u201F') {
                c = '"';
            } else if ((c >= '\u2010' && c <= '\u2015') || c == '\u2212') {
                c = '-';
            } else if (c == '\u00A0'
                    || (c >= '\u2002' && c <= '\u200A')
                    || c == '\u202F'
                    || c == '\u205F'
                    || c == '\u3000') {
                c = ' ';
            }
            out.append(c);
        }
        return out.toString();
    }
}
