package dev.switchboard.simulator.internal.gpu;

/** Why a claim did not fit: the first GPU whose free memory was too small. */
public record Shortfall(Gpu gpu, long requestedMib, long freeMib) {}
