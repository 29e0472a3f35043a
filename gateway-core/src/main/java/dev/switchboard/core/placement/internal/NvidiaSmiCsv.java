package dev.switchboard.core.placement.internal;

import dev.switchboard.core.placement.GpuInventoryException;
import dev.switchboard.core.spi.GpuInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the CSV printed by {@code nvidia-smi --query-gpu=...} and {@code --query-compute-apps=...}.
 *
 * <p>Columns are named by the query fields that produced them, so the caller's field list decides
 * the order and extra fields are ignored. Output printed without {@code noheader} or {@code
 * nounits} is accepted too: a first line starting with the first field's name is the header, and a
 * {@code " MiB"} suffix on a memory value is dropped. Memory is reported in MiB and returned in
 * bytes.
 */
public final class NvidiaSmiCsv {

    /** The fields {@link #parseGpus(String)} expects, in order. */
    public static final List<String> GPU_FIELDS =
            List.of("index", "uuid", "name", "memory.total", "memory.used", "memory.free");

    /** The fields {@link #parseComputeApps(String)} expects, in order. */
    public static final List<String> COMPUTE_APP_FIELDS = List.of("pid", "used_memory");

    private static final long MIB = 1024L * 1024L;
    private static final String MIB_SUFFIX = " MiB";

    private NvidiaSmiCsv() {}

    /** Parses {@code --query-gpu} output for {@link #GPU_FIELDS}. */
    public static List<GpuInfo> parseGpus(String output) {
        return parseGpus(output, GPU_FIELDS);
    }

    /**
     * Parses {@code --query-gpu} output for the given fields; {@code index}, {@code memory.total},
     * {@code memory.used} and {@code memory.free} are required, {@code uuid} and {@code name} are
     * read when present.
     *
     * @throws GpuInventoryException naming the line and the problem when a line does not parse
     */
    public static List<GpuInfo> parseGpus(String output, List<String> fields) {
        requireFields(fields, "index", "memory.total", "memory.used", "memory.free");
        List<GpuInfo> gpus = new ArrayList<>();
        for (Row row : rows(output, fields)) {
            gpus.add(new GpuInfo(
                    row.index("index"),
                    row.text("uuid"),
                    row.text("name"),
                    row.mebibytes("memory.total"),
                    row.mebibytes("memory.used"),
                    row.mebibytes("memory.free")));
        }
        return List.copyOf(gpus);
    }

    /** Parses {@code --query-compute-apps} output for {@link #COMPUTE_APP_FIELDS}. */
    public static Map<Long, Long> parseComputeApps(String output) {
        return parseComputeApps(output, COMPUTE_APP_FIELDS);
    }

    /**
     * Parses {@code --query-compute-apps} output for the given fields ({@code pid} and {@code
     * used_memory} required, e.g. {@code pid,gpu_uuid,used_memory}) into bytes per process. A
     * process on several GPUs appears once per GPU; its uses are summed.
     *
     * @throws GpuInventoryException naming the line and the problem when a line does not parse
     */
    public static Map<Long, Long> parseComputeApps(String output, List<String> fields) {
        requireFields(fields, "pid", "used_memory");
        Map<Long, Long> bytesByPid = new LinkedHashMap<>();
        for (Row row : rows(output, fields)) {
            bytesByPid.merge(row.number("pid"), row.mebibytes("used_memory"), Long::sum);
        }
        return Map.copyOf(bytesByPid);
    }

    private static void requireFields(List<String> fields, String... required) {
        for (String field : required) {
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("query fields " + fields + " lack '" + field + "'");
            }
        }
    }

    private static List<Row> rows(String output, List<String> fields) {
        List<Row> rows = new ArrayList<>();
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            boolean header = rows.isEmpty() && cells[0].strip().equals(fields.get(0));
            if (header) {
                continue;
            }
            rows.add(Row.of(i + 1, line, cells, fields));
        }
        return rows;
    }

    /** One data line, its cells keyed by field name. */
    private record Row(int lineNumber, String line, Map<String, String> cells) {

        static Row of(int lineNumber, String line, String[] cells, List<String> fields) {
            if (cells.length != fields.size()) {
                throw new GpuInventoryException(String.format(
                        "nvidia-smi output line %d: expected %d columns (%s), got %d: '%s'",
                        lineNumber, fields.size(), String.join(", ", fields), cells.length, line));
            }
            Map<String, String> byField = new HashMap<>();
            for (int i = 0; i < cells.length; i++) {
                byField.put(fields.get(i), cells[i].strip());
            }
            return new Row(lineNumber, line, byField);
        }

        String text(String field) {
            return cells.getOrDefault(field, "");
        }

        long number(String field) {
            return parse(field, text(field));
        }

        int index(String field) {
            long number = number(field);
            if (number > Integer.MAX_VALUE) {
                throw problem(field + " is too large (" + number + ")");
            }
            return (int) number;
        }

        long mebibytes(String field) {
            String value = text(field);
            String digits =
                    value.endsWith(MIB_SUFFIX) ? value.substring(0, value.length() - MIB_SUFFIX.length()) : value;
            long mib = parse(field, digits);
            if (mib > Long.MAX_VALUE / MIB) {
                throw problem(field + " is too large (" + value + ")");
            }
            return mib * MIB;
        }

        private long parse(String field, String value) {
            if (value.startsWith("[")) {
                // nvidia-smi prints [N/A], [Not Supported] or [Insufficient Permissions] instead of a value
                throw problem(field + " is not reported (" + value + ")");
            }
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw problem(field + " is not a whole number ('" + value + "')");
            }
            if (number < 0) {
                throw problem(field + " is negative (" + value + ")");
            }
            return number;
        }

        private GpuInventoryException problem(String what) {
            return new GpuInventoryException(
                    String.format("nvidia-smi output line %d: %s: '%s'", lineNumber, what, line));
        }
    }
}
