package dev.switchboard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineArgsTest {

    @Test
    void readsValueAfterTheFlag() {
        EngineArgs args = EngineArgs.of(List.of("--gpu-memory-utilization", "0.5", "--enforce-eager"));

        assertThat(args.decimal(0.9, "--gpu-memory-utilization")).isEqualTo(0.5);
    }

    @Test
    void readsValueAfterEquals() {
        EngineArgs args = EngineArgs.of(List.of("--tensor-parallel-size=4"));

        assertThat(args.integer(0, "--tensor-parallel-size")).isEqualTo(4);
    }

    @Test
    void lastOccurrenceWinsAcrossAliases() {
        EngineArgs args = EngineArgs.of(List.of("--tp", "2", "--tp-size=4"));

        assertThat(args.integer(0, "--tp", "--tp-size")).isEqualTo(4);
    }

    @Test
    void fallsBackWhenTheFlagIsAbsent() {
        EngineArgs args = EngineArgs.of(List.of("--enforce-eager"));

        assertThat(args.decimal(0.9, "--gpu-memory-utilization")).isEqualTo(0.9);
        assertThat(args.value("--served-model-name")).isEmpty();
    }

    @Test
    void findsSwitchesWithoutValues() {
        EngineArgs args = EngineArgs.of(List.of("--enable-sleep-mode"));

        assertThat(args.has("--enable-sleep-mode")).isTrue();
        assertThat(args.has("--enable-memory-saver")).isFalse();
    }

    @Test
    void doesNotMistakeAFlagWithTheSamePrefix() {
        EngineArgs args = EngineArgs.of(List.of("--tp-size", "2"));

        assertThat(args.has("--tp")).isFalse();
    }

    @Test
    void rejectsAMalformedNumberNamingTheFlag() {
        EngineArgs args = EngineArgs.of(List.of("--gpu-memory-utilization", "most"));

        assertThatThrownBy(() -> args.decimal(0.9, "--gpu-memory-utilization"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--gpu-memory-utilization")
                .hasMessageContaining("most");
    }
}
