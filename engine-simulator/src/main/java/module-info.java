/** The engine simulator: plays llama-server, vLLM and SGLang for tests and the demo, without a GPU. */
module dev.switchboard.simulator {
    requires jdk.httpserver;

    exports dev.switchboard.simulator;
}
