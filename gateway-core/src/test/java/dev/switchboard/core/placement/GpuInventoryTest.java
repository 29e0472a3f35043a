package dev.switchboard.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.GpuInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuInventoryTest {

    @Test
    void noneHasNoGpu() {
        assertThat(GpuInventory.none().gpus()).isEmpty();
    }

    @Test
    void fixedReportsTheDeclaredGpus() {
        GpuInfo gpu = new GpuInfo(0, "", "declared", 24L << 30, 0, 24L << 30);

        assertThat(GpuInventory.fixed(List.of(gpu)).gpus()).containsExactly(gpu);
    }

    @Test
    void fixedKnowsOfNoProcessOnTheGpus() {
        GpuInfo gpu = new GpuInfo(0, "", "declared", 24L << 30, 0, 24L << 30);

        assertThat(GpuInventory.fixed(List.of(gpu)).memoryByPid()).isEmpty();
    }
}
