package dev.switchboard.simulator;

import dev.switchboard.simulator.internal.gpu.Ledger;
import dev.switchboard.simulator.internal.gpu.NvidiaSmiQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for {@code nvidia-smi} that reports the simulated GPUs of a ledger directory and the memory that live
 * simulator processes claim on them.
 *
 * <p>Usage: {@code fake-nvidia-smi [--ledger DIR] <nvidia-smi arguments>}, the directory defaulting to
 * {@code $SIM_LEDGER}. It answers {@code --query-gpu=index,uuid,name,memory.total,memory.used,memory.free} and
 * {@code --query-compute-apps=pid,gpu_uuid,used_memory} (plus {@code count}, {@code memory.reserved},
 * {@code process_name}, {@code gpu_name}) with {@code --format=csv[,noheader][,nounits]} and optionally
 * {@code -i/--id}; anything else fails as nvidia-smi does, with status 2.
 */
public final class FakeNvidiaSmi {

    /** nvidia-smi's answer on a machine without a working driver, here: without a ledger. */
    static final String NO_DRIVER = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
            + "Make sure that the latest NVIDIA driver is installed and running.";

    private FakeNvidiaSmi() {}

    public static void main(String[] args) {
        int status = run(List.of(args), System.getenv(), System.out);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Prints what nvidia-smi would print for {@code args} to {@code out} and returns its exit status.
     *
     * @param env where {@code SIM_LEDGER} is looked up when {@code args} has no {@code --ledger}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out) {
        Optional<Path> ledger = Optional.ofNullable(env.get("SIM_LEDGER")).map(Path::of);
        List<String> query = args;
        if (!args.isEmpty() && args.getFirst().startsWith("--ledger=")) {
            ledger = Optional.of(Path.of(args.getFirst().substring("--ledger=".length())));
            query = args.subList(1, args.size());
        } else if (args.size() >= 2 && args.getFirst().equals("--ledger")) {
            ledger = Optional.of(Path.of(args.get(1)));
            query = args.subList(2, args.size());
        }
        if (ledger.isEmpty() || !Files.isRegularFile(ledger.get().resolve("gpus.csv"))) {
            out.println(NO_DRIVER);
            // nvidia-smi's status when it cannot reach the driver
            return 9;
        }
        NvidiaSmiQuery.Answer answer = new NvidiaSmiQuery(Ledger.at(ledger.get())).answer(query);
        answer.lines().forEach(out::println);
        return answer.status();
    }

    /**
     * The most memory any GPU of the ledger directory reports in use, in MiB, read through the same
     * query the gateway sends; 0 while nothing claims any.
     */
    public static long mostUsedMib(Path ledger) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(
                List.of(
                        "--ledger",
                        ledger.toString(),
                        "--query-gpu=index,memory.used",
                        "--format=csv,noheader,nounits"),
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8)
                .lines()
                .mapToLong(line -> Long.parseLong(line.split(",")[1].trim()))
                .max()
                .orElse(0);
    }
}
