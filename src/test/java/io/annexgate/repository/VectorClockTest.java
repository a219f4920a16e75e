package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VectorClockTest {

    @ParameterizedTest
    @CsvSource({
        "1795615338s, 1795615338s",
        "1795615338, 1795615338s",
        "1795615949.225031824s, 1795615949.225031824s",
        "150.50s, 150.5s",
        "150.000s, 150s",
        "+100s, 100s",
        "-5.25s, -5.25s",
        "-0.5s, 0.5s",            // git-annex quirk: the sign of a zero integer part is lost
        "100.000000000000001s, 100s", // Pico: 12 decimal places
        "1.1234567890129s, 1.123456789012s",
        "0, 0s",
    })
    void parsesAndFormatsLikeGitAnnex(String text, String canonical) {
        assertThat(VectorClock.parse(text)).map(VectorClock::format).contains(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "12x", "1.s", ".5s", "1.5ss", "1 s", "--1s", "1e5s", "0x10"})
    void rejects(String text) {
        assertThat(VectorClock.parse(text)).isEmpty();
    }

    @Test
    void equalClocksAreEqualWhateverTheirText() {
        assertThat(VectorClock.parse("9.0s")).isEqualTo(VectorClock.parse("9"));
        assertThat(VectorClock.parse("9.5s").orElseThrow()).isGreaterThan(VectorClock.parse("9").orElseThrow());
    }

    @Test
    void plusOneSecondKeepsTheFraction() {
        assertThat(VectorClock.parse("9999999999.5s").orElseThrow().plusOneSecond().format())
                .isEqualTo("10000000000.5s");
    }

    @Test
    void wallClockIsTruncatedTowardZero() {
        assertThat(VectorClock.wholeSecondsOf(Instant.ofEpochSecond(1795615338, 999_999_999)).format())
                .isEqualTo("1795615338s");
        assertThat(VectorClock.wholeSecondsOf(Instant.ofEpochSecond(-11, 500_000_000)).format()).isEqualTo("-10s");
        assertThat(new VectorClock(new BigDecimal("1E+3")).format()).isEqualTo("1000s");
    }
}
