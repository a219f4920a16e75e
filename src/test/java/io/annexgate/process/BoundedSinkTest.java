package io.annexgate.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedSinkTest {

    private static void write(BoundedSink sink, String... chunks) {
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            sink.accept(bytes, 0, bytes.length);
        }
    }

    @Test
    void keepsTheFirstBytesUpToTheCapAndCountsTheRest() {
        BoundedSink sink = BoundedSink.first(5);
        write(sink, "abc", "defg", "hij");

        assertThat(sink.captured()).isEqualTo(new CapturedOutput("abcde", 10, true));
        assertThat(sink.captured().describe()).isEqualTo("[truncated, 10 bytes in all] abcde");
    }

    @Test
    void keepsTheLastBytesUpToTheCap() {
        BoundedSink sink = BoundedSink.last(5);
        write(sink, "abc", "de");
        assertThat(sink.captured()).isEqualTo(new CapturedOutput("abcde", 5, false));

        write(sink, "fg", "hijklmn", "o");
        assertThat(sink.captured()).isEqualTo(new CapturedOutput("klmno", 15, true));
    }

    @Test
    void whatFitsIsNotTruncated() {
        BoundedSink sink = BoundedSink.first(64);
        write(sink, "all of it\n");

        assertThat(sink.captured()).isEqualTo(new CapturedOutput("all of it\n", 10, false));
        assertThat(sink.captured().describe()).isEqualTo("all of it");
    }

    @Test
    void aCapOfZeroOnlyCounts() {
        BoundedSink first = BoundedSink.first(0);
        BoundedSink last = BoundedSink.last(0);
        write(first, "abc");
        write(last, "abc");

        assertThat(first.captured()).isEqualTo(new CapturedOutput("", 3, true));
        assertThat(last.captured()).isEqualTo(new CapturedOutput("", 3, true));
    }
}
