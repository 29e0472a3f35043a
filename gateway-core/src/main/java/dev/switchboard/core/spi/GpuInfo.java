package dev.switchboard.core.spi;

/**
 * One GPU as the inventory sees it, memory in bytes.
 *
 * @param index the device index (as {@code CUDA_VISIBLE_DEVICES} counts)
 * @param uuid the device UUID, or an empty string when unknown
 * @param name the product name
 * @param totalBytes total memory
 * @param usedBytes memory in use by any process
 * @param freeBytes memory free
 */
public record GpuInfo(int index, String uuid, String name, long totalBytes, long usedBytes, long freeBytes) {}
