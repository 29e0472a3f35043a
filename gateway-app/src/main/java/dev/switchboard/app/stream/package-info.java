/**
 * Resumable streams, as llama.cpp's {@code /v1/stream} sessions: a request sent with {@code
 * X-Conversation-Id} keeps its streamed answer in a bounded buffer that survives the client's
 * disconnect, so the answer can be replayed and followed from any offset, or stopped. They live in the
 * gateway, so they work for every engine.
 */
package dev.switchboard.app.stream;
