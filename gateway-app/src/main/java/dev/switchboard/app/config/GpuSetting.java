package dev.switchboard.app.config;

import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.GpuInventoryException;
import dev.switchboard.core.spi.GpuInfo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/** The {@code gpus:} setting: where the gateway learns which GPUs it may place models on. */
public sealed interface GpuSetting {

    /** The inventory this setting describes. */
    GpuInventory inventory();

    /**
     * {@code gpus: auto} (the default): nvidia-smi when it is on the PATH and answers, else none. It
     * is first asked when a model is placed, not at start-up: a slow nvidia-smi does not hold back
     * listening.
     */
    record Auto() implements GpuSetting {
        @Override
        public GpuInventory inventory() {
            return inventory(System.getenv().getOrDefault("PATH", ""));
        }

        /** The inventory for a given {@code PATH} value. */
        GpuInventory inventory(String path) {
            Optional<Path> program = find("nvidia-smi", path);
            if (program.isEmpty()) {
                return GpuInventory.none();
            }
            return new FirstUseProbe(
                    GpuInventory.nvidiaSmi(List.of(program.get().toString()), GpuInventory.DEFAULT_CACHE_TTL));
        }

        /** nvidia-smi, or no GPUs when its first reading fails (no working driver, common in containers). */
        private static final class FirstUseProbe implements GpuInventory {
            private final GpuInventory smi;
            // a lock rather than synchronized: the first reading runs nvidia-smi, which would pin a
            // virtual thread's carrier on Java 21
            private final ReentrantLock choosing = new ReentrantLock();
            private volatile GpuInventory chosen; // null until the first reading

            FirstUseProbe(GpuInventory smi) {
                this.smi = smi;
            }

            private GpuInventory chosen() {
                GpuInventory inventory = chosen;
                if (inventory == null) {
                    choosing.lock();
                    try {
                        if (chosen == null) {
                            try {
                                smi.gpus();
                                chosen = smi;
                            } catch (GpuInventoryException e) {
                                LoggerFactory.getLogger(GpuSetting.class)
                                        .warn(
                                                "gpus: auto: nvidia-smi did not answer ({}); using no GPUs",
                                                e.getMessage());
                                chosen = GpuInventory.none();
                            }
                        }
                        inventory = chosen;
                    } finally {
                        choosing.unlock();
                    }
                }
                return inventory;
            }

            @Override
            public List<GpuInfo> gpus() {
                return chosen().gpus();
            }

            @Override
            public Map<Long, Long> memoryByPid() {
                return chosen().memoryByPid();
            }

            @Override
            public void refresh() {
                chosen().refresh();
            }
        }

        private static Optional<Path> find(String program, String path) {
            return Arrays.stream(path.split(File.pathSeparator))
                    .filter(dir -> !dir.isEmpty())
                    .map(dir -> Path.of(dir, program))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    /** {@code gpus: none}: every model runs on the CPU. */
    record None() implements GpuSetting {
        @Override
        public GpuInventory inventory() {
            return GpuInventory.none();
        }
    }

    /**
     * {@code gpus: [{id, memory, name}, ...]}: GPUs declared rather than measured, with nothing
     * used.
     */
    record Fixed(List<GpuInfo> gpus) implements GpuSetting {
        public Fixed {
            gpus = List.copyOf(gpus);
        }

        @Override
        public GpuInventory inventory() {
            return GpuInventory.fixed(gpus);
        }

        /** A GPU declared with only its index, name and memory, all of it free. */
        public static GpuInfo gpu(int index, String name, long memoryBytes) {
            Objects.requireNonNull(name, "name");
            return new GpuInfo(index, "", name, memoryBytes, 0, memoryBytes);
        }
    }

    /** {@code gpus: {nvidiaSmi: [command...]}}: nvidia-smi run through a given command prefix. */
    record NvidiaSmi(List<String> command) implements GpuSetting {
        public NvidiaSmi {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the nvidia-smi command must not be empty");
            }
        }

        @Override
        public GpuInventory inventory() {
            return GpuInventory.nvidiaSmi(command, GpuInventory.DEFAULT_CACHE_TTL);
        }
    }
}
