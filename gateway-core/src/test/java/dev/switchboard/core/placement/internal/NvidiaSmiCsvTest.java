package dev.switchboard.core.placement.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.placement.GpuInventoryException;
import dev.switchboard.core.spi.GpuInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvTest {
    private static final long MIB = 1024L * 1024L;
    private static final String H100_UUID = "GPU-3da4a729-d0ff-6a2f-d49f-4df6082a60f4";

    @Test
    void parsesTheGpuQueryIntoBytes() {
        String output = """
                0, GPU-aaaa, NVIDIA GeForce RTX 4090, 24564, 1024, 23000
                1, GPU-bbbb, NVIDIA GeForce RTX 4090, 24564, 0, 24022
                """;

        assertThat(NvidiaSmiCsv.parseGpus(output))
                .containsExactly(
                        new GpuInfo(0, "GPU-aaaa", "NVIDIA GeForce RTX 4090", 24564 * MIB, 1024 * MIB, 23000 * MIB),
                        new GpuInfo(1, "GPU-bbbb", "NVIDIA GeForce RTX 4090", 24564 * MIB, 0, 24022 * MIB));
    }

    @Test
    void parsesTheInventoryQueryOnABusyH100() {
        List<GpuInfo> gpus = NvidiaSmiCsv.parseGpus(fixture("inventory-query-gpu-busy.csv"));

        assertThat(gpus)
                .containsExactly(new GpuInfo(
                        0,
                        "GPU-3114e7a7-f1e0-1b3b-2f17-6bfa71f3b3fe",
                        "NVIDIA H100 80GB HBM3",
                        81559 * MIB,
                        6671 * MIB,
                        74409 * MIB));
    }

    @Test
    void parsesAnH100PrintedWithHeaderAndUnits() {
        List<GpuInfo> gpus = NvidiaSmiCsv.parseGpus(fixture("query-gpu-header.csv"));

        assertThat(gpus)
                .containsExactly(new GpuInfo(0, H100_UUID, "NVIDIA H100 80GB HBM3", 81559 * MIB, 0, 81079 * MIB));
    }

    @Test
    void readsColumnsByTheQueryFieldsThatProducedThem() {
        List<String> fields = List.of(
                "index",
                "uuid",
                "name",
                "pci.bus_id",
                "memory.total",
                "memory.used",
                "memory.free",
                "utilization.gpu",
                "temperature.gpu",
                "power.draw");

        List<GpuInfo> gpus = NvidiaSmiCsv.parseGpus(fixture("query-gpu.csv"), fields);

        assertThat(gpus)
                .containsExactly(new GpuInfo(0, H100_UUID, "NVIDIA H100 80GB HBM3", 81559 * MIB, 0, 81079 * MIB));
    }

    @Test
    void leavesTheNameEmptyWhenTheQueryOmitsIt() {
        List<String> fields = List.of("index", "uuid", "memory.total", "memory.used", "memory.free");

        List<GpuInfo> gpus = NvidiaSmiCsv.parseGpus(fixture("query-gpu-busy.csv"), fields);

        assertThat(gpus).containsExactly(new GpuInfo(0, H100_UUID, "", 81559 * MIB, 6671 * MIB, 74409 * MIB));
    }

    @Test
    void rejectsALineWithTheWrongNumberOfColumns() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parseGpus(fixture("query-gpu.csv")))
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("expected 6 columns")
                .hasMessageContaining("got 10");
    }

    @Test
    void rejectsAValueTheDriverDoesNotReport() {
        String output = "0, GPU-aaaa, NVIDIA A100, 40960, [N/A], 40000\n";

        assertThatThrownBy(() -> NvidiaSmiCsv.parseGpus(output))
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageContaining("line 1: memory.used is not reported ([N/A])");
    }

    @Test
    void namesTheLineThatFailsToParse() {
        String output = "0, GPU-aaaa, A100, 40960, 0, 40000\n1, GPU-bbbb, A100, 40960, lots, 40000\n";

        assertThatThrownBy(() -> NvidiaSmiCsv.parseGpus(output))
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageContaining("line 2: memory.used is not a whole number ('lots')");
    }

    @Test
    void readsNoGpuFromEmptyOutput() {
        assertThat(NvidiaSmiCsv.parseGpus("")).isEmpty();
    }

    @Test
    void parsesComputeAppsIntoBytesPerPid() {
        assertThat(NvidiaSmiCsv.parseComputeApps(fixture("inventory-compute-apps-busy.csv")))
                .containsExactlyEntriesOf(Map.of(474L, 6662 * MIB));
    }

    @Test
    void skipsTheHeaderOfComputeAppsPrintedWithOne() {
        assertThat(NvidiaSmiCsv.parseComputeApps(fixture("compute-apps-header.csv")))
                .isEmpty();
    }

    @Test
    void parsesComputeAppsThatNameTheirGpu() {
        Map<Long, Long> memory = NvidiaSmiCsv.parseComputeApps(
                fixture("compute-apps-busy.csv"), List.of("pid", "gpu_uuid", "used_memory"));

        assertThat(memory).containsExactlyEntriesOf(Map.of(420L, 6662 * MIB));
    }

    @Test
    void sumsAProcessThatUsesSeveralGpus() {
        String output = "420, GPU-aaaa, 1000\n420, GPU-bbbb, 500\n";

        assertThat(NvidiaSmiCsv.parseComputeApps(output, List.of("pid", "gpu_uuid", "used_memory")))
                .containsExactlyEntriesOf(Map.of(420L, 1500 * MIB));
    }

    @Test
    void readsNoProcessFromAnIdleGpu() {
        assertThat(NvidiaSmiCsv.parseComputeApps(fixture("compute-apps-idle.csv")))
                .isEmpty();
    }

    @Test
    void rejectsAProcessWhoseMemoryIsNotReported() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parseComputeApps("420, [N/A]\n"))
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageContaining("line 1: used_memory is not reported ([N/A])");
    }

    private static String fixture(String name) {
        try (InputStream in = NvidiaSmiCsvTest.class.getResourceAsStream("/nvidia-smi-h100/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
