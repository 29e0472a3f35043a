package dev.switchboard.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One {@code POST /tools} call.
 *
 * @param tool the tool's name
 * @param params its parameters; {@code cwd}, {@code runtime} and {@code resp_type} in them are
 *     ignored, only the headers set those
 * @param cwd the {@code x-tool-cwd} header, empty when absent
 * @param runtime the {@code x-tool-runtime} header, empty when absent
 * @param respType the {@code x-resp-type} header ({@code base64} makes read_file answer in
 *     base64), empty when absent
 */
public record ToolRequest(String tool, ObjectNode params, String cwd, String runtime, String respType) {
    public ToolRequest {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(params, "params");
        cwd = Objects.requireNonNullElse(cwd, "");
        runtime = Objects.requireNonNullElse(runtime, "");
        respType = Objects.requireNonNullElse(respType, "");
    }
}
