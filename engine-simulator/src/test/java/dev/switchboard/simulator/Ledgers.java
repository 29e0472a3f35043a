package dev.switchboard.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Simulated-GPU ledgers for tests. */
final class Ledgers {

    /** The UUID of the real H100 whose nvidia-smi output is in the test resources. */
    static final String FIXTURE_UUID = "GPU-3da4a729-d0ff-6a2f-d49f-4df6082a60f4";

    static final long H100_MIB = 81559;

    private Ledgers() {}

    /**
     * A ledger of {@code count} H100s that keep {@code reservedMib} each; GPU 0 carries the fixture's UUID, GPU n
     * {@code GPU-0000000n-...}.
     */
    static Path h100s(Path dir, int count, long reservedMib) {
        String lines = IntStream.range(0, count)
                .mapToObj(index ->
                        index + ", " + uuid(index) + ", NVIDIA H100 80GB HBM3, " + H100_MIB + ", " + reservedMib + "\n")
                .collect(Collectors.joining());
        try {
            Files.writeString(dir.resolve("gpus.csv"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static String uuid(int index) {
        return index == 0 ? FIXTURE_UUID : String.format("GPU-%08d-0000-0000-0000-000000000000", index);
    }

    /** What fake nvidia-smi reports as used on each GPU, in MiB, by index. */
    static long[] usedMib(Path ledger) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = FakeNvidiaSmi.run(
                List.of("--ledger", ledger.toString(), "--query-gpu=memory.used", "--format=csv,noheader,nounits"),
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new AssertionError("fake nvidia-smi failed: " + out);
        }
        return out.toString(StandardCharsets.UTF_8)
                .lines()
                .mapToLong(Long::parseLong)
                .toArray();
    }
}
