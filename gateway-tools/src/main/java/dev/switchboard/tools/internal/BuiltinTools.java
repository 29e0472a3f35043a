package dev.switchboard.tools.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * llama-server's built-in tools, with its names, parameters, limits and result shapes: read_file,
 * file_glob_search, grep_search, exec_shell_command, write_file, edit_file, get_info.
 */
final class BuiltinTools {
    static final int READ_FILE_MAX_SIZE = 16 * 1024;
    static final long READ_FILE_MAX_SIZE_BASE64 = 32L * 1024 * 1024;
    static final int FILE_SEARCH_MAX_RESULTS = 100;
    static final int GREP_SEARCH_MAX_RESULTS = 100;
    static final int SHELL_MAX_OUTPUT = 16 * 1024;
    static final int SHELL_MAX_TIMEOUT = 60;

    private BuiltinTools() {}

    /** Every built-in tool, in llama-server's order. */
    static List<Tool> all() {
        return List.of(
                new ReadFile(),
                new FileGlobSearch(),
                new GrepSearch(),
                new ExecShellCommand(),
                new WriteFile(),
                EditFile.INSTANCE,
                new GetInfo());
    }

    /** Lines as std::getline splits them: a trailing newline does not start another line. */
    static List<String> lines(String content) {
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    private abstract static class Builtin extends Tool {
        Builtin(String name, String displayName, boolean write, boolean stream) {
            super(name, displayName, write, stream, true);
        }

        @Override
        String type() {
            return "server";
        }
    }

    static final class ReadFile extends Builtin {
        ReadFile() {
            super("read_file", "Read file", false, false);
        }

        @Override
        ObjectNode definition() {
            return function(
                    name,
                    "Read the contents of a file. Optionally specify a 1-based line range. If append_loc is true, each"
                            + " line is prefixed with its line number (e.g. \"1\u2192...\").",
                    """
                    {"type":"object","properties":{
                      "path":{"type":"string","description":"Path to the file"},
                      "start_line":{"type":"integer","description":"First line to read, 1-based (default: 1)"},
                      "end_line":{"type":"integer","description":"Last line to read, 1-based inclusive (default: end of file)"},
                      "append_loc":{"type":"boolean","description":"Prefix each line with its line number"}},
                     "required":["path"]}""");
        }

        @Override
        ObjectNode invoke(Call call) {
            String path = call.string("path");
            int startLine = call.integer("start_line", 1);
            int endLine = call.integer("end_line", -1);
            boolean appendLoc = call.bool("append_loc", false);
            // from the x-resp-type header; the model cannot ask for it
            boolean base64 = call.string("resp_type", "").equals("base64");
            ToolIo io = call.io().get();
            long size = io.fileSize(path);
            if (size < 0) {
                return error("cannot stat file: " + path);
            }
            if (base64) {
                if (size > READ_FILE_MAX_SIZE_BASE64) {
                    return error("file too large (" + size + " bytes, max " + READ_FILE_MAX_SIZE_BASE64 + ")");
                }
                byte[] content = io.readFile(path);
                if (content == null) {
                    return error("failed to open file: " + path);
                }
                return JSON.createObjectNode()
                        .put("base64", Base64.getEncoder().encodeToString(content))
                        .put("size_bytes", content.length);
            }
            if (size > READ_FILE_MAX_SIZE && endLine == -1) {
                return error("file too large (" + size + " bytes, max " + READ_FILE_MAX_SIZE
                        + "). Use start_line/end_line to read a portion.");
            }
            byte[] content = io.readFile(path);
            if (content == null) {
                return error("failed to open file: " + path);
            }
            StringBuilder result = new StringBuilder();
            List<String> lines = lines(new String(content, StandardCharsets.UTF_8));
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                if (lineNo < startLine) {
                    continue;
                }
                if (endLine != -1 && lineNo > endLine) {
                    break;
                }
                String out = (appendLoc ? lineNo + "\u2192" : "") + lines.get(i) + "\n";
                if (result.length() + out.length() > READ_FILE_MAX_SIZE) {
                    result.append("[output truncated]");
                    break;
                }
                result.append(out);
            }
            return text(result.toString());
        }
    }

    static final class FileGlobSearch extends Builtin {
        FileGlobSearch() {
            super("file_glob_search", "File search", false, false);
        }

        @Override
        ObjectNode definition() {
            return function(
                    name,
                    "Recursively search for files matching a glob pattern under a directory. Automatically skips files"
                            + " ignored by .gitignore (when the directory is inside a git repo) and common junk"
                            + " directories (.git, node_modules, build, dist, etc.) otherwise. A pattern with no '/'"
                            + " (e.g. \"*.cpp\") matches the file's basename at any depth. A pattern containing '/'"
                            + " matches the full relative path; unless already anchored with \"**/\" or a leading '/',"
                            + " it is automatically prefixed with \"**/\". Use type=\"dir\" or \"all\" to also list"
                            + " directories; directory entries are suffixed with '/' in the output. Note: directory"
                            + " listings do not apply .gitignore filtering.",
                    """
                    {"type":"object","properties":{
                      "path":{"type":"string","description":"Base directory to search in"},
                      "include":{"type":"string","description":"Glob pattern for files to include (e.g. \\"*.cpp\\" or \\"src/**/*.cpp\\"). Default: **"},
                      "exclude":{"type":"string","description":"Glob pattern for files to exclude"},
                      "type":{"type":"string","description":"Entry type to return: \\"file\\" (default), \\"dir\\" or \\"all\\""},
                      "max_depth":{"type":"integer","description":"Maximum depth to descend into subdirectories (default: 0 = unlimited; 1 = direct children only)"},
                      "limit":{"type":"integer","description":"Maximum number of results to return, capped at 100 (default 100)"}},
                     "required":["path"]}""");
        }

        @Override
        ObjectNode invoke(Call call) {
            String path = call.string("path");
            ToolIo io = call.io().get();
            String base = io.resolve(path);
            String include = call.string("include", "**");
            String exclude = call.string("exclude", "");
            String type = call.string("type", "file");
            int maxDepth = Math.max(0, call.integer("max_depth", 0));
            int limitRequested = call.integer("limit", FILE_SEARCH_MAX_RESULTS);
            if (limitRequested < 1) {
                return error("invalid limit: " + limitRequested + " (expected 1 or more)");
            }
            int limit = Math.min(limitRequested, FILE_SEARCH_MAX_RESULTS);
            ToolIo.Kind kind =
                    switch (type) {
                        case "file" -> ToolIo.Kind.FILES;
                        case "dir" -> ToolIo.Kind.DIRS;
                        case "all" -> ToolIo.Kind.ALL;
                        default -> null;
                    };
            if (kind == null) {
                return error("invalid type: " + type + " (expected \"file\", \"dir\" or \"all\")");
            }
            ToolIo.Listing listing = io.list(base, maxDepth, kind);
            if (!listing.error().isEmpty()) {
                return error(listing.error() + ": " + path);
            }
            List<ToolIo.Entry> matches = new ArrayList<>();
            for (ToolIo.Entry entry : listing.entries()) {
                if (Glob.matchesPath(include, entry.rel())
                        && (exclude.isEmpty() || !Glob.matchesPath(exclude, entry.rel()))) {
                    matches.add(entry);
                }
            }
            int total = matches.size();
            int shown = Math.min(total, limit);
            StringBuilder out = new StringBuilder();
            ArrayNode entries = JSON.createArrayNode();
            for (ToolIo.Entry entry : matches.subList(0, shown)) {
                out.append(entry.rel()).append(entry.dir() ? "/" : "").append('\n');
                entries.addObject().put("path", entry.rel()).put("type", entry.dir() ? "dir" : "file");
            }
            out.append("\n---\nTotal matches: ").append(total).append('\n');
            if (total > shown) {
                out.append("[")
                        .append(shown)
                        .append(" results limit reached (")
                        .append(total)
                        .append(" total matches). Refine the glob pattern to narrow the search.]\n");
            }
            if (listing.truncated()) {
                out.append("[results truncated: time budget or unreadable directory]\n");
            }
            ObjectNode result = text(out.toString());
            result.set("entries", entries);
            // absolute, so a client (the web UI's picker) can join the relative entries
            result.put("base", base);
            return result;
        }
    }

    static final class GrepSearch extends Builtin {
        GrepSearch() {
            super("grep_search", "Grep search", false, false);
        }

        @Override
        ObjectNode definition() {
            return function(
                    name,
                    "Search for a pattern in files under a path. Returns matching lines with file paths (and, unless"
                            + " searching a single file, paths relative to the given directory). Automatically skips"
                            + " files ignored by .gitignore (when the directory is inside a git repo) and common junk"
                            + " directories (.git, node_modules, build, dist, etc.) otherwise. include/exclude: a"
                            + " pattern with no '/' matches the basename at any depth; a pattern containing '/'"
                            + " matches the full relative path (auto-anchored with \"**/\" unless already anchored).",
                    """
                    {"type":"object","properties":{
                      "path":{"type":"string","description":"File or directory to search in"},
                      "pattern":{"type":"string","description":"Pattern to search for (regular expression unless literal is true)"},
                      "include":{"type":"string","description":"Glob pattern to filter files (default: **)"},
                      "exclude":{"type":"string","description":"Glob pattern to exclude files"},
                      "return_line_numbers":{"type":"boolean","description":"If true, include line numbers in results"},
                      "literal":{"type":"boolean","description":"Treat pattern as a literal string instead of a regular expression (default: false)"},
                      "ignore_case":{"type":"boolean","description":"Case-insensitive search (default: false)"},
                      "context_lines":{"type":"integer","description":"Number of lines of context to show before and after each match (default: 0)"}},
                     "required":["path","pattern"]}""");
        }

        @Override
        ObjectNode invoke(Call call) {
            String path = call.string("path");
            String patternText = call.string("pattern");
            String include = call.string("include", "**");
            String exclude = call.string("exclude", "");
            boolean showLineNumbers = call.bool("return_line_numbers", false);
            boolean literal = call.bool("literal", false);
            boolean ignoreCase = call.bool("ignore_case", false);
            int context = Math.max(0, call.integer("context_lines", 0));
            Pattern pattern;
            try {
                pattern = Pattern.compile(
                        literal ? Pattern.quote(patternText) : patternText,
                        ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                return error("invalid regex: " + e.getDescription());
            }
            ToolIo io = call.io().get();
            record Target(String absolute, String display) {}
            List<Target> files = new ArrayList<>();
            String abs = io.resolve(path);
            if (io.isRegularFile(abs)) {
                files.add(new Target(abs, path));
            } else if (io.isDirectory(abs)) {
                ToolIo.Listing listing = io.list(abs, 0, ToolIo.Kind.FILES);
                if (!listing.error().isEmpty()) {
                    return error(listing.error() + ": " + path);
                }
                for (ToolIo.Entry entry : listing.entries()) {
                    if (Glob.matchesPath(include, entry.rel())
                            && (exclude.isEmpty() || !Glob.matchesPath(exclude, entry.rel()))) {
                        files.add(new Target(abs + "/" + entry.rel(), entry.rel()));
                    }
                }
            } else {
                return error("path does not exist: " + path);
            }
            StringBuilder out = new StringBuilder();
            int total = 0;
            boolean limitReached = false;
            boolean showNumbers = showLineNumbers || context > 0;
            for (Target file : files) {
                if (limitReached) {
                    break;
                }
                byte[] content;
                try {
                    content = io.readFile(file.absolute());
                } catch (Confinement.Denied e) {
                    continue; // a link out of the roots is not searched
                }
                if (content == null) {
                    continue;
                }
                List<String> lines = lines(new String(content, StandardCharsets.UTF_8));
                for (int i = 0; i < lines.size(); i++) {
                    if (total >= GREP_SEARCH_MAX_RESULTS) {
                        limitReached = true;
                        break;
                    }
                    if (!pattern.matcher(lines.get(i)).find()) {
                        continue;
                    }
                    int from = Math.max(0, i - context);
                    int to = Math.min(lines.size() - 1, i + context);
                    for (int j = from; j <= to; j++) {
                        char mark = j == i ? ':' : '-';
                        out.append(file.display()).append(mark);
                        if (showNumbers) {
                            out.append(j + 1).append(mark);
                        }
                        out.append(lines.get(j)).append('\n');
                    }
                    if (context > 0) {
                        out.append("--\n");
                    }
                    total++;
                }
            }
            out.append("\n---\nTotal matches: ").append(total).append('\n');
            if (limitReached) {
                out.append("[")
                        .append(GREP_SEARCH_MAX_RESULTS)
                        .append(" matches limit reached. Narrow the path/pattern/include to see more.]\n");
            }
            return text(out.toString());
        }
    }

    static final class ExecShellCommand extends Builtin {
        ExecShellCommand() {
            super("exec_shell_command", "Execute shell command", true, true);
        }

        @Override
        ObjectNode definition() {
            return function(name, "Execute a shell command and return its output (stdout and stderr combined).", """
                    {"type":"object","properties":{
                      "command":{"type":"string","description":"Shell command to execute"},
                      "timeout":{"type":"integer","description":"Timeout in seconds (default 10, max 60)"},
                      "max_output_size":{"type":"integer","description":"Maximum output size in bytes (default 16384)"}},
                     "required":["command"]}""");
        }

        @Override
        ObjectNode invoke(Call call) {
            String command = call.string("command");
            int timeout = Math.max(1, Math.min(call.integer("timeout", 10), SHELL_MAX_TIMEOUT));
            int maxOutput = Math.max(0, Math.min(call.integer("max_output_size", SHELL_MAX_OUTPUT), SHELL_MAX_OUTPUT));
            ToolIo io = call.io().get();
            List<String> argv = List.of("sh", "-c", command);
            Subprocess.Chunks chunks = call.chunks();
            Subprocess.Result res = io.run(argv, maxOutput, timeout, chunks).join();
            String tail = "\n[exit code: " + res.exitCode() + "]" + (res.timedOut() ? " [exit due to timed out]" : "");
            if (chunks != null) {
                chunks.push(tail);
                return null;
            }
            return text(res.text() + tail);
        }
    }

    static final class WriteFile extends Builtin {
        WriteFile() {
            super("write_file", "Write file", true, false);
        }

        @Override
        ObjectNode definition() {
            return function(
                    name,
                    "Write content to a file, creating it (including parent directories) if it does not exist. May"
                            + " use with edit_file for more complex edits.",
                    """
                    {"type":"object","properties":{
                      "path":{"type":"string","description":"Path of the file to write"},
                      "content":{"type":"string","description":"Content to write"}},
                     "required":["path","content"]}""");
        }

        @Override
        ObjectNode invoke(Call call) {
            String path = call.string("path");
            String content = call.string("content");
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            if (!call.io().get().writeFile(path, bytes)) {
                return error("failed to write file: " + path);
            }
            return JSON.createObjectNode()
                    .put("result", "file written successfully")
                    .put("path", path)
                    .put("bytes", bytes.length);
        }
    }

    static final class GetInfo extends Builtin {
        GetInfo() {
            super("get_info", "Get Runtime Info", false, false);
        }

        @Override
        ObjectNode definition() {
            return function(
                    name,
                    "Returns runtime info: the OS name/version and the current working directory",
                    "{\"type\":\"object\",\"properties\":{}}");
        }

        @Override
        ObjectNode invoke(Call call) {
            ToolIo io = call.io().get();
            Subprocess.Result uname =
                    io.run(List.of("uname", "-a"), 4096, 5, null).join();
            String os =
                    uname.exitCode() == 0 && !uname.timedOut() ? uname.text().strip() : "unknown";
            String cwd;
            if (io instanceof LocalIo local) {
                cwd = local.cwd();
            } else {
                String given = call.string("cwd", "");
                if (!given.isEmpty()) {
                    cwd = given;
                } else {
                    Subprocess.Result pwd =
                            io.run(List.of("pwd"), 4096, 5, null).join();
                    cwd = pwd.exitCode() == 0 && !pwd.timedOut() ? pwd.text().strip() : "unknown";
                }
            }
            return JSON.createObjectNode().put("os", os).put("cwd", Path.of(cwd).toString());
        }
    }
}
