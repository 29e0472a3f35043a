package dev.switchboard.simulator.internal.cli;

import java.util.List;
import java.util.Optional;

/** Which engine the simulator plays, told from the command line the way each engine is launched. */
public enum Personality {
    /** {@code llama-server [flags]}: anything that is neither of the others. */
    LLAMA_CPP("llama.cpp"),
    /** {@code vllm serve <model> [flags]}. */
    VLLM("vllm"),
    /** {@code python -m sglang.launch_server [flags]}. */
    SGLANG("sglang");

    private static final List<String> SGLANG_MODULE = List.of("-m", "sglang.launch_server");

    private final String label;

    Personality(String label) {
        this.label = label;
    }

    /** The name the journal uses. */
    public String label() {
        return label;
    }

    public static Personality detect(List<String> args) {
        if (!args.isEmpty() && args.getFirst().equals("serve")) {
            return VLLM;
        }
        if (args.size() >= 2 && args.subList(0, 2).equals(SGLANG_MODULE)) {
            return SGLANG;
        }
        return LLAMA_CPP;
    }

    /** The model the engine is asked to serve, where each engine's command line names it. */
    public Optional<String> model(CommandLine line) {
        return switch (this) {
            // -hf names a Hugging Face repo that llama-server downloads first; the simulator has it at once
            case LLAMA_CPP -> line.value("-m", "--model").or(() -> line.value("-hf", "-hfr", "--hf-repo"));
            case VLLM -> line.positionals().stream().findFirst().or(() -> line.value("--model"));
            case SGLANG -> line.value("--model-path", "--model");
        };
    }

    /** The arguments after the sub-command or module that selected this personality. */
    public List<String> engineArgs(List<String> args) {
        return switch (this) {
            case LLAMA_CPP -> args;
            case VLLM -> args.subList(1, args.size());
            case SGLANG -> args.subList(SGLANG_MODULE.size(), args.size());
        };
    }
}
