package dev.switchboard.simulator.internal.gpu;

/**
 * A simulated GPU, one line of the ledger's {@code gpus.csv}.
 *
 * @param reservedMib memory the driver keeps for itself, never free (a real H100 80GB keeps about 480 MiB of its 81559
 *     MiB this way)
 */
public record Gpu(int index, String uuid, String name, long totalMib, long reservedMib) {}
