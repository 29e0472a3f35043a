package dev.switchboard.app;

import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.core.command.CommandLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code switchboard --demo}: {@code config-examples/src/main/resources/demo.yaml}, bundled in the
 * jar, whose engines are the engine simulator. The file reads the simulator's command line from
 * {@code ${env.SWITCHBOARD_SIMULATOR}}, which the demo fills in, so the same file also runs with
 * {@code --config} once that variable is set.
 */
final class Demo {
    static final String SIMULATOR_VARIABLE = "SWITCHBOARD_SIMULATOR";
    private static final String RESOURCE = "demo.yaml";
    private static final String SIMULATOR_COMMAND = "dev.switchboard.simulator.SimulatorCommand";

    private Demo() {}

    static AppConfig config(Map<String, String> env) {
        Map<String, String> variables = new HashMap<>(env);
        variables.put(SIMULATOR_VARIABLE, CommandLine.quote(simulatorCommand()));
        return ConfigLoader.withEnvironment(variables).load(RESOURCE, text(), Path.of(""));
    }

    /**
     * The simulator's java command line, from the engine-simulator jar found at run time: the
     * simulator is a test stand-in, so the gateway does not compile against it.
     */
    @SuppressWarnings("unchecked")
    private static List<String> simulatorCommand() {
        try {
            return (List<String>)
                    Class.forName(SIMULATOR_COMMAND).getMethod("javaCommand").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(
                    "--demo needs the engine simulator (engine-simulator's jar) on the class path: " + e, e);
        }
    }

    private static String text() {
        try (InputStream in = Demo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
