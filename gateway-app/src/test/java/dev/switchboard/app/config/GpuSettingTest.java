package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.placement.GpuInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpus: auto} uses nvidia-smi only where it is present and answers. */
class GpuSettingTest {
    @TempDir
    Path bin;

    private void fakeNvidiaSmi(String body) throws Exception {
        Path script = bin.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void autoRunsOnTheCpuWithoutNvidiaSmi() {
        GpuInventory inventory = new GpuSetting.Auto().inventory(bin.toString());

        assertThat(inventory.gpus()).isEmpty();
    }

    @Test
    void autoReadsTheGpusNvidiaSmiReports() throws Exception {
        fakeNvidiaSmi("echo '0, GPU-3da4a729, NVIDIA H100 80GB HBM3, 81559, 480, 81079'");

        GpuInventory inventory = new GpuSetting.Auto().inventory(bin.toString());

        assertThat(inventory.gpus()).singleElement().satisfies(gpu -> {
            assertThat(gpu.name()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(gpu.totalBytes()).isEqualTo(81559L * 1024 * 1024);
        });
    }

    @Test
    void autoRunsOnTheCpuWhenNvidiaSmiFails() throws Exception {
        fakeNvidiaSmi("echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9");

        GpuInventory inventory = new GpuSetting.Auto().inventory(bin.toString());

        assertThat(inventory.gpus()).isEmpty();
    }

    @Test
    void autoAsksNvidiaSmiOnlyWhenTheGpusAreFirstNeeded() throws Exception {
        Path calls = bin.resolve("calls");
        fakeNvidiaSmi("echo call >> '" + calls + "'; echo '0, GPU-3da4a729, NVIDIA H100 80GB HBM3, 81559, 480, 81079'");

        GpuInventory inventory = new GpuSetting.Auto().inventory(bin.toString());

        assertThat(calls).doesNotExist(); // start-up does not wait for nvidia-smi
        assertThat(inventory.gpus()).hasSize(1);
        assertThat(calls).exists();
    }
}
