package dev.switchboard.core.testing;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gateways whose models are real engine-simulator processes run by the core's {@code command}
 * backend, all writing to one journal, so tests can check what the engines themselves saw.
 */
public final class SimulatedEngines {
    public static final String BACKEND = "sim";

    private final Path journal;
    private final List<ModelDescriptor> models = new ArrayList<>();
    private SchedulerConfig scheduler = SchedulerConfig.ofDefaults();

    public SimulatedEngines(Path directory) {
        this.journal = directory.resolve("journal.jsonl");
    }

    /** Adds a model served by a simulator with these extra flags (such as {@code --sim-load-ms 50}). */
    public SimulatedEngines model(String id, String... simulatorFlags) {
        return model(ModelDescriptor.builder(id, BACKEND), simulatorFlags);
    }

    /** Adds a model built from the given descriptor builder, served by a simulator with these flags. */
    public SimulatedEngines model(ModelDescriptor.Builder model, String... simulatorFlags) {
        return model(model, Map.of(), simulatorFlags);
    }

    /**
     * Adds a model with extra command-backend options (such as {@code memory}), served by a
     * simulator with these flags.
     */
    public SimulatedEngines model(
            ModelDescriptor.Builder model, Map<String, Object> options, String... simulatorFlags) {
        String command = SimulatorCommand.javaCommand().stream()
                        .map(SimulatedEngines::quote)
                        .collect(Collectors.joining(" "))
                + " -m /models/${MODEL_ID}.gguf --port ${PORT} --alias ${MODEL_ID} --sim-load-ms 100 --sim-record "
                + quote(journal.toString()) + " "
                + Arrays.stream(simulatorFlags).map(SimulatedEngines::quote).collect(Collectors.joining(" "));
        Map<String, Object> all = new java.util.HashMap<>(options);
        all.put("cmd", command);
        models.add(model.options(all).build());
        return this;
    }

    public SimulatedEngines scheduler(SchedulerConfig value) {
        this.scheduler = value;
        return this;
    }

    public GatewayConfig config() {
        return new GatewayConfig(scheduler, List.of(BackendConfig.of(BACKEND, "command", Map.of())), models);
    }

    public Gateway start() {
        return Gateway.builder().config(config()).shutdownHook(false).build();
    }

    public List<JournalEvent> journal() {
        return Journal.read(journal);
    }

    /** How many engine processes started for this model. */
    public long starts(String model) {
        return events(JournalEvent.START, model).size();
    }

    /** The journal events of one kind from the engines that served this model (matched by pid). */
    public List<JournalEvent> events(String kind, String model) {
        List<JournalEvent> all = journal();
        Set<Long> pids = all.stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .filter(e -> e.entry("flags", "--alias").filter(model::equals).isPresent())
                .map(JournalEvent::pid)
                .collect(Collectors.toSet());
        return all.stream()
                .filter(e -> e.event().equals(kind) && pids.contains(e.pid()))
                .toList();
    }

    /** Engine processes that started and are still alive, by the operating system's account. */
    public List<Long> livePids() {
        return journal().stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .map(JournalEvent::pid)
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .toList();
    }

    public int maxConcurrentEngines() {
        return Journal.maxConcurrentProcesses(journal());
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
