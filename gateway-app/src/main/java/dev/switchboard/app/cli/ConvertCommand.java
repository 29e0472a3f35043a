package dev.switchboard.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard convert FILE}, bound by picocli. */
@Command(
        name = "convert",
        description = {
            "Prints the Switchboard YAML equivalent of a llama-swap config.yaml.",
            "${env.NAME} references are kept; settings Switchboard does not support are listed on stderr."
        })
final class ConvertCommand {
    @Parameters(paramLabel = "FILE", description = "the llama-swap configuration")
    Path file;

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;
}
