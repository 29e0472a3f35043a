package dev.switchboard.app.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Parses the command line:
 *
 * <pre>
 * switchboard [--config FILE | --demo] [--host H] [--port P] [--models-max N] [--no-models-autoload]
 *             [--api-key KEY]... [--api-key-file FILE] [--models-dir DIR] [--models-preset FILE] [--llama-server PATH]
 *             [llama-server arguments...]
 * switchboard convert FILE
 * </pre>
 *
 * Options are spelled as llama-server spells them; unknown options and their values are
 * llama-server arguments for every child. There are no short options, so llama-server's {@code
 * -hf}, {@code -m} or {@code -ngl} pass through untouched.
 */
public final class Cli {
    /** The exit status of a usage or configuration error. */
    public static final int USAGE_ERROR = 2;

    private Cli() {}

    /**
     * @param env the environment, for llama-server's variables ({@code LLAMA_API_KEY}, ...)
     */
    public static Invocation parse(String[] args, Map<String, String> env) {
        SwitchboardCommand command = new SwitchboardCommand();
        // no clustering: llama-server's -hf or -ngl must not read as -h -f or -n -g -l
        CommandLine line = new CommandLine(command).setPosixClusteredShortOptionsAllowed(false);
        try {
            ParseResult result = line.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                return new Invocation.Exit(0, line.getUsageMessage());
            }
            if (result.isVersionHelpRequested()) {
                return new Invocation.Exit(0, "switchboard " + Version.current() + System.lineSeparator());
            }
            ParseResult sub = result.subcommand();
            if (sub != null) {
                CommandLine convert = sub.commandSpec().commandLine();
                if (sub.isUsageHelpRequested()) {
                    return new Invocation.Exit(0, convert.getUsageMessage());
                }
                return new Invocation.Convert(convert.<ConvertCommand>getCommand().file);
            }
            return new Invocation.Serve(command.toOptions(env));
        } catch (ParameterException | IllegalArgumentException e) {
            return new Invocation.Exit(
                    USAGE_ERROR,
                    "switchboard: " + e.getMessage() + System.lineSeparator() + "Try 'switchboard --help'."
                            + System.lineSeparator());
        }
    }
}
