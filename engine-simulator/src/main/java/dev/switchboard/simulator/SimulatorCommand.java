package dev.switchboard.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How to start the simulator from another process's tests: as a command list for {@link ProcessBuilder}, or as an
 * executable script to hand to code that wants a binary path (a gateway config's {@code llama-server}, {@code vllm},
 * {@code python} or {@code nvidia-smi}).
 */
public final class SimulatorCommand {

    /** JVM options for a fast start: the simulator does little work, so C1 and the serial collector suffice. */
    public static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC");

    private SimulatorCommand() {}

    /** {@code <java.home>/bin/java <JVM_OPTIONS> -cp <simulator classes> dev.switchboard.simulator.Main}. */
    public static List<String> javaCommand() {
        return command(Main.class);
    }

    /** The same for {@link FakeNvidiaSmi}. */
    public static List<String> fakeNvidiaSmiCommand() {
        return command(FakeNvidiaSmi.class);
    }

    /**
     * Writes an executable POSIX shell script at {@code file} that {@code exec}s {@link #javaCommand()} with its own
     * arguments, so signals reach the simulator itself. Name it {@code llama-server}, {@code vllm} or
     * {@code python3}: the arguments decide which engine it plays.
     */
    public static Path writeLauncher(Path file) {
        return writeScript(file, javaCommand());
    }

    /**
     * A model's {@code cmd} for an engine that fails to start while the file {@code crashFlag}
     * exists (it prints {@code engine refuses} and exits with code 3) and otherwise {@code exec}s the
     * simulator {@code launcher} with {@code arguments}: a crash a test can turn off.
     */
    public static String refusingWhile(Path crashFlag, Path launcher, String arguments) {
        return "/bin/sh -c 'test -e " + crashFlag + " && { echo engine refuses; exit 3; }; exec " + launcher + " "
                + arguments + "'";
    }

    /** Writes an executable script at {@code file} that runs {@link FakeNvidiaSmi}, for code that calls nvidia-smi. */
    public static Path writeFakeNvidiaSmi(Path file) {
        return writeScript(file, fakeNvidiaSmiCommand());
    }

    private static List<String> command(Class<?> mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(classpath().toString());
        command.add(mainClass.getName());
        return command;
    }

    // the simulator has no dependencies, so its own classes directory or jar is the whole classpath
    private static Path classpath() {
        try {
            return Path.of(Main.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the simulator's classes", e);
        }
    }

    private static Path writeScript(Path file, List<String> command) {
        String script = "#!/bin/sh\n"
                + "# written by dev.switchboard.simulator.SimulatorCommand\n"
                + "exec " + command.stream().map(SimulatorCommand::quote).collect(Collectors.joining(" "))
                + " \"$@\"\n";
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
