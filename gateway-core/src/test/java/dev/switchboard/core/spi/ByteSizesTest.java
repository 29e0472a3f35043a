package dev.switchboard.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void readsBinaryAndDecimalUnits() {
        assertThat(ByteSizes.parse("24GiB")).isEqualTo(24L << 30);
        assertThat(ByteSizes.parse("512 MiB")).isEqualTo(512L << 20);
        assertThat(ByteSizes.parse("8GB")).isEqualTo(8_000_000_000L);
        assertThat(ByteSizes.parse("1.5gib")).isEqualTo(3L << 29);
        assertThat(ByteSizes.parse("1024")).isEqualTo(1024);
    }

    @Test
    void rejectsWhatIsNoSize() {
        assertThatThrownBy(() -> ByteSizes.parse("lots")).hasMessageContaining("'lots'");
    }

    @Test
    void formatsForPeople() {
        assertThat(ByteSizes.format(24L << 30)).isEqualTo("24.0 GiB");
        assertThat(ByteSizes.format(100)).isEqualTo("100 B");
    }

    @Test
    void readsDurationsWithSecondsAsTheBareUnit() {
        assertThat(Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    }
}
