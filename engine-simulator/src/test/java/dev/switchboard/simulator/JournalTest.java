package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal simulators write, and what tests read from it. */
class JournalTest {

    @TempDir
    Path dir;

    @Test
    void recordsStartReadyRequestAndExitOfAProcess() {
        Path journal = dir.resolve("journal.jsonl");
        int port = SimulatorProcess.freePort();
        try (SimulatorProcess server = SimulatorProcess.start(
                Map.of("CUDA_VISIBLE_DEVICES", "3"),
                "-m",
                "/models/m.gguf",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0",
                "--sim-record",
                journal.toString())) {
            Http.awaitHealthy(port);
            Http.post(port, "/v1/chat/completions", LlamaServerTest.chat("m", false, 1));
            server.sendLine("cmd_router_to_child:exit");
            server.awaitExit();
        }

        List<JournalEvent> events = Journal.read(journal);
        assertThat(events)
                .extracting(JournalEvent::event)
                .containsExactly(JournalEvent.START, JournalEvent.READY, JournalEvent.REQUEST, JournalEvent.EXIT);
        JournalEvent start = events.getFirst();
        assertThat(start.text("personality")).hasValue("llama.cpp");
        assertThat(start.text("model")).hasValue("/models/m.gguf");
        assertThat(start.entry("env", "CUDA_VISIBLE_DEVICES")).hasValue("3");
        assertThat(start.entry("flags", "--port")).hasValue(Integer.toString(port));
        assertThat(events.get(2).text("path")).hasValue("/v1/chat/completions");
        assertThat(events.getLast().number("code")).hasValue(0);
    }

    @Test
    void recordsRequestAbortedWhenTheClientGoesAwayMidStream() throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        int port = SimulatorProcess.freePort();
        try (SimulatorProcess server = SimulatorProcess.start(
                "serve",
                "Qwen/X",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0",
                "--sim-tokens-per-second",
                "20",
                "--sim-record",
                journal.toString())) {
            Http.awaitHealthy(port);

            readFirstBytesThenHangUp(port, LlamaServerTest.chat("Qwen/X", true, 100));

            await().atMost(SimulatorProcess.PATIENCE)
                    .until(() -> Journal.read(journal).stream()
                            .anyMatch(event -> event.event().equals(JournalEvent.REQUEST_ABORTED)));
        }
    }

    @Test
    void countsTheMostProcessesAliveAtOnce() {
        List<JournalEvent> events = List.of(
                event(JournalEvent.START, 1),
                event(JournalEvent.START, 2),
                event(JournalEvent.READY, 2),
                event(JournalEvent.EXIT, 1),
                event(JournalEvent.START, 3),
                event(JournalEvent.EXIT, 2),
                event(JournalEvent.START, 4));

        assertThat(Journal.maxConcurrentProcesses(events)).isEqualTo(2);
    }

    @Test
    void countsSimulatorsSharingOneJournal() {
        Path journal = dir.resolve("journal.jsonl");
        int first = SimulatorProcess.freePort();
        int second = SimulatorProcess.freePort();
        try (SimulatorProcess one = llama(first, journal);
                SimulatorProcess two = llama(second, journal)) {
            Http.awaitHealthy(first);
            Http.awaitHealthy(second);
        }

        List<JournalEvent> events = Journal.read(journal);
        assertThat(events)
                .filteredOn(event -> event.event().equals(JournalEvent.READY))
                .hasSize(2);
        assertThat(Journal.maxConcurrentProcesses(events)).isEqualTo(2);
    }

    @Test
    void leavesOutALineStillBeingWritten() throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        Files.writeString(journal, "{\"event\":\"start\",\"pid\":7,\"time\":1}\n{\"event\":\"ex");

        assertThat(Journal.read(journal)).extracting(JournalEvent::pid).containsExactly(7L);
    }

    @Test
    void readsAMissingJournalAsNoEvents() {
        assertThat(Journal.read(dir.resolve("absent.jsonl"))).isEmpty();
    }

    private static SimulatorProcess llama(int port, Path journal) {
        return SimulatorProcess.start(
                "-m",
                "/models/m.gguf",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0",
                "--sim-record",
                journal.toString());
    }

    private static JournalEvent event(String type, long pid) {
        return new JournalEvent(type, pid, 0, Map.of());
    }

    private static void readFirstBytesThenHangUp(int port, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            in.readNBytes(64);
        }
    }
}
