package dev.switchboard.simulator.internal.gpu;

/** Memory one simulator process holds on one GPU. */
public record GpuClaim(int gpuIndex, long mib) {}
