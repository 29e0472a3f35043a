/**
 * Where models run: the GPU inventory ({@link dev.switchboard.core.placement.GpuInventory}), the
 * pure placement {@link dev.switchboard.core.placement.Planner} that picks GPUs and an eviction set
 * for a model about to start, and the {@link dev.switchboard.core.placement.internal.FootprintLedger} of
 * what models really took.
 *
 * <p>Memory is always in bytes and GPUs are named by their device index ({@link
 * dev.switchboard.core.spi.GpuInfo#index()}).
 */
package dev.switchboard.core.placement;
