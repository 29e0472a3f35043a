package dev.switchboard.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.ChildSignal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlamaCppChildProtocolTest {

    private final LlamaCppChildProtocol protocol = new LlamaCppChildProtocol();

    @Test
    void readyStateMeansReady() {
        assertThat(protocol.parse("cmd_child_to_router:state:{\"state\":\"ready\",\"payload\":{}}"))
                .contains(new ChildSignal.Ready());
    }

    @Test
    void readyCarriesTheChildsModelEntry() {
        String line = "cmd_child_to_router:state:{\"state\":\"ready\",\"payload\":{\"model\":\"m\",\"n_ctx\":4096}}";

        assertThat(protocol.parse(line)).contains(new ChildSignal.Ready(Map.of("model", "m", "n_ctx", 4096)));
    }

    @Test
    void sleepingStateMeansSleeping() {
        assertThat(protocol.parse("cmd_child_to_router:state:{\"state\":\"sleeping\",\"payload\":{}}"))
                .contains(new ChildSignal.Sleeping());
    }

    @Test
    void loadingProgressCoversAllStages() {
        String line = "cmd_child_to_router:state:{\"state\":\"loading\",\"payload\":"
                + "{\"stages\":[\"text_model\",\"mmproj_model\"],\"current\":\"mmproj_model\",\"value\":0.5}}";

        assertThat(protocol.parse(line))
                .contains(new ChildSignal.Loading(
                        0.75,
                        Map.of(
                                "stages",
                                List.of("text_model", "mmproj_model"),
                                "current",
                                "mmproj_model",
                                "value",
                                0.5)));
    }

    @Test
    void loadingOfASingleStageIsItsValue() {
        String line = "cmd_child_to_router:state:{\"state\":\"loading\",\"payload\":"
                + "{\"stages\":[\"text_model\"],\"current\":\"text_model\",\"value\":0.25}}";

        assertThat(protocol.parse(line))
                .contains(new ChildSignal.Loading(
                        0.25, Map.of("stages", List.of("text_model"), "current", "text_model", "value", 0.25)));
    }

    @Test
    void loadingWithoutValueHasUnknownProgress() {
        String line = "cmd_child_to_router:state:{\"state\":\"loading\",\"payload\":{\"stage\":\"mmproj_model\"}}";

        assertThat(protocol.parse(line)).contains(new ChildSignal.Loading(-1, Map.of("stage", "mmproj_model")));
    }

    @Test
    void downloadingIsLoadingByBytes() {
        String line = "cmd_child_to_router:state:{\"state\":\"downloading\",\"payload\":"
                + "{\"url\":\"https://huggingface.co/x.gguf\",\"downloaded\":25,\"total\":100}}";

        assertThat(protocol.parse(line)).contains(new ChildSignal.Loading(0.25));
    }

    @Test
    void olderReleasesSayReadyAndSleepWithoutJson() {
        assertThat(protocol.parse("cmd_child_to_router:ready")).contains(new ChildSignal.Ready());
        assertThat(protocol.parse("cmd_child_to_router:sleep\n")).contains(new ChildSignal.Sleeping());
    }

    @Test
    void olderInfoLinesCarryNoStateChange() {
        assertThat(protocol.parse("cmd_child_to_router:info:{\"id\":\"m\"}")).isEmpty();
    }

    @Test
    void ordinaryLogLinesAndMalformedStatesAreIgnored() {
        assertThat(protocol.parse("srv  load_model: loading model '/m.gguf'")).isEmpty();
        assertThat(protocol.parse("cmd_child_to_router:state:{not json")).isEmpty();
        assertThat(protocol.parse("cmd_child_to_router:state:{\"state\":\"exploding\"}"))
                .isEmpty();
    }

    @Test
    void theStopLineIsTheRoutersExitCommand() {
        assertThat(LlamaCppChildProtocol.STOP_LINE).isEqualTo("cmd_router_to_child:exit");
    }
}
