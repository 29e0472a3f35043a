package dev.switchboard.simulator;

import dev.switchboard.simulator.internal.cli.CommandLine;
import dev.switchboard.simulator.internal.cli.Knobs;
import dev.switchboard.simulator.internal.cli.Personality;
import dev.switchboard.simulator.internal.cli.UsageException;
import dev.switchboard.simulator.internal.engine.Console;
import dev.switchboard.simulator.internal.engine.Generator;
import dev.switchboard.simulator.internal.engine.Lifecycle;
import dev.switchboard.simulator.internal.engine.Simulation;
import dev.switchboard.simulator.internal.gpu.Ledger;
import dev.switchboard.simulator.internal.journal.JournalWriter;
import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.llama.LlamaServer;
import dev.switchboard.simulator.internal.sglang.SglangServer;
import dev.switchboard.simulator.internal.vllm.VllmServer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine simulator: plays {@code llama-server}, {@code vllm serve <model>} or
 * {@code python -m sglang.launch_server}, told apart by the arguments as the real command lines would be.
 *
 * <p>Simulation knobs, each a flag or an environment variable: {@code --sim-load-ms} / {@code SIM_LOAD_MS} (200),
 * {@code --sim-tokens-per-second} (200, 0 = instant), {@code --sim-crash-at-start=<status>},
 * {@code --sim-crash-after-tokens=<n>}, {@code --sim-hang}, {@code --sim-memory-mb}, {@code --sim-protocol
 * new|legacy|none}, {@code --sim-record <journal file>}, {@code --sim-ledger <GPU ledger dir>},
 * {@code --sim-wake-ms} (100), {@code --sim-sleep-ms} (50), {@code --sim-exit-ms} (0),
 * {@code --sim-kv-cache-percent} (0, what vLLM's and SGLang's {@code /metrics} report); random faults for storms,
 * in percent:
 * {@code --sim-start-crash-percent}, {@code --sim-hang-percent}, {@code --sim-error-percent} (answer 500),
 * {@code --sim-crash-percent} (exit halfway through an answer).
 */
public final class Main {

    // worth recording: they decide which GPUs a child sees and which protocol it speaks
    private static final List<String> RECORDED_ENV =
            List.of("CUDA_VISIBLE_DEVICES", "LLAMA_SERVER_ROUTER_PORT", "VLLM_SERVER_DEV_MODE");

    private Main() {}

    public static void main(String[] args) {
        List<String> all = List.of(args);
        Personality personality = Personality.detect(all);
        Map<String, String> env = System.getenv();
        CommandLine line;
        Knobs knobs;
        try {
            line = CommandLine.parse(personality.engineArgs(all), switches(personality));
            knobs = Knobs.from(line, env);
        } catch (UsageException e) {
            Console.log("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        JournalWriter journal = JournalWriter.open(knobs.record());
        journal.write(JournalEvent.START, startFields(personality, line, all, env));
        Lifecycle lifecycle = new Lifecycle(journal, knobs.exit());
        Simulation simulation = new Simulation(
                line,
                knobs,
                env,
                journal,
                lifecycle,
                new Generator(
                        knobs.tokensPerSecond(),
                        knobs.crashAfterTokens(),
                        knobs.faults().crashPercent(),
                        lifecycle),
                knobs.ledger().map(Ledger::at));
        try {
            switch (personality) {
                case LLAMA_CPP -> LlamaServer.run(simulation);
                case VLLM -> VllmServer.run(simulation);
                case SGLANG -> SglangServer.run(simulation);
            }
        } catch (UsageException e) {
            Console.log("error: " + e.getMessage());
            lifecycle.exit(1);
        }
    }

    private static Set<String> switches(Personality personality) {
        Set<String> switches = new HashSet<>(Knobs.SWITCHES);
        switches.addAll(
                switch (personality) {
                    case LLAMA_CPP -> LlamaServer.SWITCHES;
                    case VLLM -> VllmServer.SWITCHES;
                    case SGLANG -> SglangServer.SWITCHES;
                });
        return switches;
    }

    private static Map<String, Object> startFields(
            Personality personality, CommandLine line, List<String> args, Map<String, String> env) {
        Map<String, Object> recordedEnv = new LinkedHashMap<>();
        RECORDED_ENV.stream().filter(env::containsKey).forEach(name -> recordedEnv.put(name, env.get(name)));
        return Json.object(
                "personality",
                personality.label(),
                "model",
                personality.model(line).orElse(null),
                "args",
                args,
                "flags",
                line.flags(),
                "env",
                recordedEnv);
    }
}
