package dev.switchboard.simulator.internal.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers the {@code nvidia-smi --query-gpu} and {@code --query-compute-apps} questions from a {@link Ledger}, printed
 * exactly as nvidia-smi prints them: CSV cells joined by {@code ", "}, a header line unless {@code noheader}, memory
 * in {@code MiB} unless {@code nounits}.
 */
public final class NvidiaSmiQuery {

    /** nvidia-smi's answer to arguments it does not understand. */
    public static final String INVALID_ARGUMENTS =
            "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.";

    private static final Map<String, Field<GpuRow>> GPU_FIELDS = Map.of(
            "index", Field.plain("index", row -> row.gpu().index()),
            "uuid", Field.plain("uuid", row -> row.gpu().uuid()),
            "gpu_uuid", Field.plain("uuid", row -> row.gpu().uuid()),
            "name", Field.plain("name", row -> row.gpu().name()),
            "gpu_name", Field.plain("name", row -> row.gpu().name()),
            "count", Field.plain("count", GpuRow::count),
            "memory.total", Field.memory("memory.total", row -> row.gpu().totalMib()),
            "memory.used", Field.memory("memory.used", GpuRow::usedMib),
            "memory.reserved", Field.memory("memory.reserved", row -> row.gpu().reservedMib()),
            "memory.free",
                    Field.memory(
                            "memory.free",
                            row -> row.gpu().totalMib() - row.gpu().reservedMib() - row.usedMib()));

    private static final Map<String, Field<AppRow>> APP_FIELDS = Map.of(
            "pid", Field.plain("pid", AppRow::pid),
            "process_name", Field.plain("process_name", row -> row.claim().processName()),
            "name", Field.plain("process_name", row -> row.claim().processName()),
            "gpu_uuid", Field.plain("gpu_uuid", row -> row.gpu().uuid()),
            "gpu_name", Field.plain("gpu_name", row -> row.gpu().name()),
            "used_memory", Field.memory("used_gpu_memory", row -> row.claim().mib()),
            "used_gpu_memory",
                    Field.memory("used_gpu_memory", row -> row.claim().mib()));

    private final Ledger ledger;

    public NvidiaSmiQuery(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The lines nvidia-smi would print for {@code args}, or the error it would report. */
    public Answer answer(List<String> args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            return Answer.error(INVALID_ARGUMENTS);
        }
        List<Gpu> gpus = arguments
                .ids()
                .map(ids -> VisibleDevices.of(Optional.of(ids), ledger.gpus()))
                .orElseGet(ledger::gpus);
        if (arguments.gpuFields().isPresent()) {
            List<GpuRow> rows = gpus.stream()
                    .map(gpu -> new GpuRow(gpu, ledger.usedMib(gpu), gpus.size()))
                    .toList();
            return table(arguments, arguments.gpuFields().get(), GPU_FIELDS, rows);
        }
        List<AppRow> rows = new ArrayList<>();
        for (Gpu gpu : gpus) {
            ledger.liveClaims()
                    .forEach((pid, claims) -> claims.stream()
                            .filter(claim -> claim.gpuIndex() == gpu.index())
                            .forEach(claim -> rows.add(new AppRow(pid, gpu, claim))));
        }
        return table(arguments, arguments.appFields().orElseThrow(), APP_FIELDS, rows);
    }

    private static <R> Answer table(
            Arguments arguments, List<String> names, Map<String, Field<R>> known, List<R> rows) {
        List<Field<R>> fields = new ArrayList<>();
        for (String name : names) {
            Field<R> field = known.get(name);
            if (field == null) {
                return Answer.error("Field \"" + name + "\" is not a valid field to query.");
            }
            fields.add(field);
        }
        List<String> lines = new ArrayList<>();
        if (arguments.header()) {
            lines.add(String.join(", ", fields.stream().map(Field::title).toList()));
        }
        for (R row : rows) {
            lines.add(String.join(
                    ", ",
                    fields.stream()
                            .map(field -> field.cell(row, arguments.units()))
                            .toList()));
        }
        return new Answer(0, lines);
    }

    /** What nvidia-smi prints and its exit status. */
    public record Answer(int status, List<String> lines) {

        public static Answer error(String message) {
            return new Answer(2, List.of(message));
        }
    }

    private record GpuRow(Gpu gpu, long usedMib, int count) {}

    private record AppRow(long pid, Gpu gpu, Ledger.ProcessClaim claim) {}

    private record Field<R>(String header, boolean mebibytes, Function<R, Object> value) {

        static <R> Field<R> plain(String header, Function<R, Object> value) {
            return new Field<>(header, false, value);
        }

        static <R> Field<R> memory(String header, Function<R, Object> value) {
            return new Field<>(header, true, value);
        }

        String title() {
            return mebibytes ? header + " [MiB]" : header;
        }

        String cell(R row, boolean units) {
            String text = String.valueOf(value.apply(row));
            return mebibytes && units ? text + " MiB" : text;
        }
    }

    private record Arguments(
            Optional<List<String>> gpuFields,
            Optional<List<String>> appFields,
            boolean header,
            boolean units,
            Optional<String> ids) {

        static Arguments parse(List<String> args) {
            Optional<List<String>> gpuFields = Optional.empty();
            Optional<List<String>> appFields = Optional.empty();
            Optional<List<String>> format = Optional.empty();
            Optional<String> ids = Optional.empty();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int equals = arg.indexOf('=');
                String name = equals > 0 ? arg.substring(0, equals) : arg;
                String value;
                if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(arg);
                }
                switch (name) {
                    case "--query-gpu" -> gpuFields = Optional.of(list(value));
                    case "--query-compute-apps" -> appFields = Optional.of(list(value));
                    case "--format" -> format = Optional.of(list(value));
                    case "-i", "--id" -> ids = Optional.of(value);
                    default -> throw new IllegalArgumentException(arg);
                }
            }
            if (gpuFields.isPresent() == appFields.isPresent()
                    || format.isEmpty()
                    || !format.get().contains("csv")) {
                throw new IllegalArgumentException("one query and a csv format are needed");
            }
            List<String> options = format.get();
            return new Arguments(
                    gpuFields, appFields, !options.contains("noheader"), !options.contains("nounits"), ids);
        }

        private static List<String> list(String value) {
            return List.of(value.strip().split("\\s*,\\s*"));
        }
    }
}
