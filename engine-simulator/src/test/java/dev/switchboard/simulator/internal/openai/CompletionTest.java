package dev.switchboard.simulator.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.simulator.SimulatedText;
import dev.switchboard.simulator.internal.openai.Completion.FinishReason;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CompletionTest {

    @Test
    void answersNaturalLengthAndStopsWithoutALimit() {
        Completion completion = plan(OptionalInt.empty(), false);

        assertThat(completion.tokens()).hasSize(SimulatedText.NATURAL_LENGTH);
        assertThat(completion.finish()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void stopsAtALimitAboveNaturalLength() {
        assertThat(plan(OptionalInt.of(100), false).completionTokens()).isEqualTo(SimulatedText.NATURAL_LENGTH);
    }

    @Test
    void endsWithLengthWhenTheLimitCutsItShort() {
        Completion completion = plan(OptionalInt.of(SimulatedText.NATURAL_LENGTH), false);

        assertThat(completion.finish()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void runsToTheLimitWhenIgnoringEndOfSequence() {
        Completion completion = plan(OptionalInt.of(40), true);

        assertThat(completion.completionTokens()).isEqualTo(40);
        assertThat(completion.finish()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void answersThePromptsSimulatedText() {
        assertThat(plan(OptionalInt.of(5), false).text()).isEqualTo(SimulatedText.text("why", 5));
    }

    private static Completion plan(OptionalInt maxTokens, boolean ignoreEos) {
        InferenceRequest request = new InferenceRequest(Optional.empty(), "why", maxTokens, ignoreEos, false, false);
        return Completion.plan(request, "id", "model", Duration.ZERO);
    }
}
