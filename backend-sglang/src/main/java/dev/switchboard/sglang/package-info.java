/**
 * The {@code sglang} backend type, found through {@link java.util.ServiceLoader}: each model in its
 * own {@code sglang.launch_server} process, with SGLang's memory release as the warm tier (see
 * {@link dev.switchboard.sglang.SglangBackendFactory}).
 */
package dev.switchboard.sglang;
