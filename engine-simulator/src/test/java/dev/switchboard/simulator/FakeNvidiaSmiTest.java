package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake nvidia-smi, compared line for line with a real H100's answers. */
class FakeNvidiaSmiTest {

    private static final String GPU_QUERY = "--query-gpu=index,uuid,name,memory.total,memory.used,memory.free";
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path ledger;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void printsIdleGpuWithHeaderAndUnitsLikeNvidiaSmi() throws IOException {
        Ledgers.h100s(ledger, 1, 480);

        int status = run(GPU_QUERY, "--format=csv");

        assertThat(status).isZero();
        assertThat(output()).isEqualTo(fixture("query-gpu-header.csv"));
    }

    @Test
    void countsLiveClaimsAsUsedMemory() throws IOException {
        Ledgers.h100s(ledger, 1, 479);
        claim(SELF, "0, 6671, java");

        run("--query-gpu=index,uuid,memory.total,memory.used,memory.free", "--format=csv,noheader,nounits");

        assertThat(output()).isEqualTo(fixture("query-gpu-busy.csv"));
    }

    @Test
    void mostUsedMibIsTheBusiestGpusUsedMemory() throws IOException {
        Ledgers.h100s(ledger, 2, 480);
        assertThat(FakeNvidiaSmi.mostUsedMib(ledger)).isZero();

        claim(SELF, "1, 5000, java");

        assertThat(FakeNvidiaSmi.mostUsedMib(ledger)).isEqualTo(5000);
    }

    @Test
    void listsComputeAppsOfLivePidsOnly() throws IOException {
        Ledgers.h100s(ledger, 1, 480);
        claim(SELF, "0, 6662, java");
        claim(finishedProcessPid(), "0, 1000, java");

        run("--query-compute-apps=pid,gpu_uuid,used_memory", "--format=csv,noheader,nounits");

        assertThat(output()).isEqualTo(fixture("compute-apps-busy.csv").replace("420,", SELF + ","));
    }

    @Test
    void printsNothingForComputeAppsOfIdleGpu() throws IOException {
        Ledgers.h100s(ledger, 2, 480);

        run("--query-compute-apps=pid,gpu_uuid,used_memory", "--format=csv,noheader,nounits");

        assertThat(output()).isEqualTo(fixture("compute-apps-idle.csv"));
    }

    @Test
    void selectsGpusWithId() {
        Ledgers.h100s(ledger, 3, 480);

        run("--query-gpu=index,uuid", "--format=csv,noheader", "-i", "2");

        assertThat(output()).isEqualTo("2, " + Ledgers.uuid(2) + "\n");
    }

    @Test
    void rejectsFieldsItCannotAnswerWithStatusTwo() {
        Ledgers.h100s(ledger, 1, 480);

        int status = run("--query-gpu=index,temperature.gpu", "--format=csv");

        assertThat(status).isEqualTo(2);
        assertThat(output()).isEqualTo("Field \"temperature.gpu\" is not a valid field to query.\n");
    }

    @Test
    void failsLikeMissingDriverWithoutLedger() {
        int status = FakeNvidiaSmi.run(List.of(GPU_QUERY, "--format=csv"), Map.of(), printer());

        assertThat(status).isEqualTo(9);
        assertThat(output())
                .startsWith("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
    }

    @Test
    void findsLedgerInSimLedgerVariable() {
        Ledgers.h100s(ledger, 1, 480);

        int status = FakeNvidiaSmi.run(
                List.of("--query-gpu=count", "--format=csv,noheader"),
                Map.of("SIM_LEDGER", ledger.toString()),
                printer());

        assertThat(status).isZero();
        assertThat(output()).isEqualTo("1\n");
    }

    private int run(String... args) {
        List<String> command = new ArrayList<>(List.of("--ledger", ledger.toString()));
        command.addAll(List.of(args));
        return FakeNvidiaSmi.run(command, Map.of(), printer());
    }

    private PrintStream printer() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void claim(long pid, String line) throws IOException {
        Path claims = Files.createDirectories(ledger.resolve("claims"));
        Files.writeString(claims.resolve(Long.toString(pid)), line + "\n");
    }

    private static long finishedProcessPid() throws IOException {
        Process process = new ProcessBuilder("true").start();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.pid();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = FakeNvidiaSmiTest.class.getResourceAsStream("/nvidia-smi-h100/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
