package dev.switchboard.llamacpp.hub.internal;

import java.io.InputStream;

/**
 * A file's content from some byte on: where it starts is what the server chose, the asked offset
 * when it honoured the range ({@code 206}), 0 when it sent the whole file ({@code 200}).
 *
 * @param start the offset in the file of the body's first byte
 * @param body the bytes, to be closed by the reader
 */
public record RangeBody(long start, InputStream body) {}
