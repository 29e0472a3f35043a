package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.config.AppConfig;
import dev.switchboard.core.command.CommandBackendFactory;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.simulator.SimulatorCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --demo}: the bundled demo configuration, with the engine simulator as every engine. */
class DemoTest {
    private final AppConfig demo = Demo.config(Map.of());

    @Test
    void servesFourSimulatedModelsTwoAtATimeOnLoopback8080() {
        assertThat(demo.gateway().models()).hasSize(4);
        assertThat(demo.gateway().scheduler().maxLoaded()).isEqualTo(2);
        assertThat(demo.server().host()).isEqualTo("127.0.0.1");
        assertThat(demo.server().port()).isEqualTo(8080);
    }

    @Test
    void startsEachEngineWithTheSimulatorsJavaCommand() {
        ModelDescriptor model = demo.gateway().models().getFirst();
        try (Backend backend =
                new CommandBackendFactory().create(demo.gateway().backends().getFirst())) {
            List<String> command = backend.launch(model, Placement.cpu(), new LaunchContext(5001, 8080))
                    .command();

            List<String> java = SimulatorCommand.javaCommand();
            assertThat(command.subList(0, java.size())).isEqualTo(java);
            assertThat(command.subList(java.size(), command.size()))
                    .startsWith("serve")
                    .containsSequence("--served-model-name", model.id())
                    .containsSequence("--port", "5001");
        }
    }
}
