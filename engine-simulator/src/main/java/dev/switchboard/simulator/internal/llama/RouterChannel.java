package dev.switchboard.simulator.internal.llama;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;

import dev.switchboard.simulator.internal.cli.ProtocolForm;
import dev.switchboard.simulator.internal.engine.Console;
import dev.switchboard.simulator.internal.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * llama-server's side of the llama.cpp router protocol. A child (started with {@code LLAMA_SERVER_ROUTER_PORT} set)
 * reports its state on stdout, and the router talks back on stdin: {@code cmd_router_to_child:exit} asks for a
 * graceful exit, and end of input means the router is gone.
 *
 * <p>Current builds print {@code cmd_child_to_router:state:{"state":"loading|ready|sleeping","payload":...}}: loading
 * with {@code {"stages":[..],"current":..,"value":<0..1>}} (at most every 200 ms, always the first and last), ready
 * with the model's {@code /v1/models} entry after loading and {@code null} after waking, sleeping with {@code null}.
 * Older builds print {@code cmd_child_to_router:ready} (again after waking), then
 * {@code cmd_child_to_router:info:<model entry>}, and {@code cmd_child_to_router:sleep}.
 */
final class RouterChannel {

    static final String EXIT_COMMAND = "cmd_router_to_child:exit";
    private static final String STATE = "cmd_child_to_router:state:";
    private static final String READY = "cmd_child_to_router:ready";
    private static final String INFO = "cmd_child_to_router:info:";
    private static final String SLEEP = "cmd_child_to_router:sleep";
    private static final String STAGE = "text_model";

    private final ProtocolForm form;

    /** @param child whether this process is a router's child; only children speak the protocol */
    RouterChannel(ProtocolForm form, boolean child) {
        this.form = child ? form : ProtocolForm.NONE;
    }

    void loading(double progress) {
        if (form == ProtocolForm.NEW) {
            state("loading", object("stages", array(STAGE), "current", STAGE, "value", progress));
        }
    }

    void loaded(Map<String, Object> modelInfo) {
        switch (form) {
            case NEW -> state("ready", modelInfo);
            case LEGACY -> {
                Console.protocol(READY);
                Console.protocol(INFO + Json.write(modelInfo));
            }
            case NONE -> {}
        }
    }

    void awake() {
        switch (form) {
            case NEW -> state("ready", null);
            case LEGACY -> Console.protocol(READY);
            case NONE -> {}
        }
    }

    void sleeping() {
        switch (form) {
            case NEW -> state("sleeping", null);
            case LEGACY -> Console.protocol(SLEEP);
            case NONE -> {}
        }
    }

    /**
     * Reads stdin on a daemon thread: runs {@code onExitCommand} when the router asks for an exit, {@code onEndOfInput}
     * when stdin closes. llama-server does this only as a router's child and only once its model has loaded (a child
     * still loading ignores its stdin); the simulator does it in every mode, from the same point.
     */
    static void watchStdin(Runnable onExitCommand, Runnable onEndOfInput) {
        Thread watcher = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.contains(EXIT_COMMAND)) {
                                onExitCommand.run();
                                return;
                            }
                        }
                    } catch (IOException e) {
                        // an unreadable stdin is as good as a closed one
                    }
                    onEndOfInput.run();
                },
                "router-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void state(String state, Object payload) {
        Console.protocol(STATE + Json.write(object("state", state, "payload", payload)));
    }
}
