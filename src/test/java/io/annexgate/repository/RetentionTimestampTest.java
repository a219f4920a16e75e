package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionTimestampTest {

    @Test
    void readsAndWritesGitAnnexPosixTimes() {
        RetentionTimestamp t = RetentionTimestamp.parse("1795615949.225031824s").orElseThrow();
        assertThat(t.until()).isEqualTo(Instant.ofEpochSecond(1795615949L, 225031824));
        assertThat(t.render()).isEqualTo("1795615949.225031824s");
        assertThat(RetentionTimestamp.parse("1795615949s").orElseThrow().render()).isEqualTo("1795615949s");
        assertThat(RetentionTimestamp.parse("1795615949.5s").orElseThrow().until().getNano()).isEqualTo(500_000_000);
    }

    @Test
    void garbageIsNoTimestamp() {
        assertThat(RetentionTimestamp.parse("soon")).isEmpty();
        assertThat(RetentionTimestamp.parse("")).isEmpty();
    }
}
