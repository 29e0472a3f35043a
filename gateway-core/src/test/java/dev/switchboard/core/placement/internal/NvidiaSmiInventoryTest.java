package dev.switchboard.core.placement.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.GpuInventoryException;
import dev.switchboard.core.spi.GpuInfo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the inventory against small shell scripts standing in for nvidia-smi. */
class NvidiaSmiInventoryTest {
    private static final long MIB = 1024L * 1024L;
    private static final Duration LONG_TTL = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void readsTheGpusNvidiaSmiReports() throws IOException {
        List<GpuInfo> gpus =
                GpuInventory.nvidiaSmi(List.of(h100().toString()), LONG_TTL).gpus();

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
    void asksForTheGpuFieldsItParsesWithoutHeaderOrUnits() throws IOException {
        Path args = dir.resolve("args");
        Path smi = script("echo \"$@\" > '" + args + "'");

        GpuInventory.nvidiaSmi(List.of(smi.toString()), LONG_TTL).gpus();

        assertThat(Files.readString(args).strip())
                .isEqualTo("--query-gpu=index,uuid,name,memory.total,memory.used,memory.free"
                        + " --format=csv,noheader,nounits");
    }

    @Test
    void readsTheMemoryOfEachProcess() throws IOException {
        Map<Long, Long> memory =
                GpuInventory.nvidiaSmi(List.of(h100().toString()), LONG_TTL).memoryByPid();

        assertThat(memory).containsExactlyEntriesOf(Map.of(474L, 6662 * MIB));
    }

    @Test
    void reusesAReadingWithinItsTtl() throws IOException {
        Path runs = dir.resolve("runs");
        GpuInventory inventory =
                GpuInventory.nvidiaSmi(List.of(countingScript(runs).toString()), LONG_TTL);

        inventory.gpus();
        inventory.gpus();

        assertThat(Files.readAllLines(runs)).hasSize(1);
    }

    @Test
    void readsAgainAfterRefresh() throws IOException {
        Path runs = dir.resolve("runs");
        GpuInventory inventory =
                GpuInventory.nvidiaSmi(List.of(countingScript(runs).toString()), LONG_TTL);

        inventory.gpus();
        inventory.refresh();
        inventory.gpus();

        assertThat(Files.readAllLines(runs)).hasSize(2);
    }

    @Test
    void readsOnEveryCallWithAZeroTtl() throws IOException {
        Path runs = dir.resolve("runs");
        GpuInventory inventory =
                GpuInventory.nvidiaSmi(List.of(countingScript(runs).toString()), Duration.ZERO);

        inventory.gpus();
        inventory.gpus();

        assertThat(Files.readAllLines(runs)).hasSize(2);
    }

    @Test
    void reportsAMissingBinary() {
        GpuInventory inventory =
                GpuInventory.nvidiaSmi(List.of(dir.resolve("no-such-nvidia-smi").toString()), LONG_TTL);

        assertThatThrownBy(inventory::gpus)
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageStartingWith("nvidia-smi not found: ")
                .hasMessageContaining("no-such-nvidia-smi");
    }

    @Test
    void reportsAFailingRunWithItsExitCodeAndOutput() throws IOException {
        Path smi = script("echo 'No devices were found'; exit 6");

        GpuInventory inventory = GpuInventory.nvidiaSmi(List.of(smi.toString()), LONG_TTL);

        assertThatThrownBy(inventory::gpus)
                .isInstanceOf(GpuInventoryException.class)
                .hasMessage("nvidia-smi failed with exit code 6: No devices were found");
    }

    @Test
    void givesUpOnARunThatDoesNotAnswer() throws IOException {
        Path smi = script("exec sleep 30");

        GpuInventory inventory = new NvidiaSmiInventory(List.of(smi.toString()), LONG_TTL, Duration.ofMillis(200));

        assertThatThrownBy(inventory::gpus)
                .isInstanceOf(GpuInventoryException.class)
                .hasMessageContaining("did not answer within 200 ms");
    }

    @Test
    void triesAgainAfterAFailedRead() throws IOException {
        Path broken = dir.resolve("broken");
        Files.createFile(broken);
        Path smi = script("if [ -e '" + broken + "' ]; then exit 9; fi\necho '0, GPU-aaaa, H100, 81559, 0, 81079'");
        GpuInventory inventory = GpuInventory.nvidiaSmi(List.of(smi.toString()), LONG_TTL);
        assertThatThrownBy(inventory::gpus).isInstanceOf(GpuInventoryException.class);

        Files.delete(broken);

        assertThat(inventory.gpus()).hasSize(1);
    }

    /** A stand-in that prints what a busy H100 printed for the inventory's two queries. */
    private Path h100() throws IOException {
        return script(
                """
                case "$*" in
                  "--query-gpu=index,uuid,name,memory.total,memory.used,memory.free --format=csv,noheader,nounits")
                    cat '%s' ;;
                  "--query-compute-apps=pid,used_memory --format=csv,noheader,nounits")
                    cat '%s' ;;
                  *) echo "unexpected options: $*"; exit 2 ;;
                esac
                """.formatted(fixture("inventory-query-gpu-busy.csv"), fixture("inventory-compute-apps-busy.csv")));
    }

    private static Path fixture(String name) {
        try {
            return Path.of(NvidiaSmiInventoryTest.class
                    .getResource("/nvidia-smi-h100/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path countingScript(Path runs) throws IOException {
        return script("echo run >> '" + runs + "'\necho '0, GPU-aaaa, H100, 81559, 0, 81079'");
    }

    private Path script(String body) throws IOException {
        Path script = Files.createTempFile(dir, "nvidia-smi", ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
