package io.annexgate.proxy.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Memory taken as bytes arrive, never as announced, and never past the limit. */
class ArrivalBufferTest {

    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @Test
    void tenBytesOfAnnouncedFiveMebibytesTakeOneSmallChunk() throws IOException {
        ArrivalBuffer buffer = new ArrivalBuffer(FIVE_MIB);
        assertThat(buffer.allocated()).isZero();
        buffer.write(new byte[10]);
        assertThat(buffer.size()).isEqualTo(10);
        assertThat(buffer.allocated()).isEqualTo(ArrivalBuffer.CHUNK);
        ArrivalBuffer tiny = new ArrivalBuffer(100);
        tiny.write(new byte[10]);
        assertThat(tiny.allocated()).as("no more than the limit").isEqualTo(100);
    }

    @Test
    void whatArrivesIsReadBackWholeAndAgain() throws IOException {
        byte[] content = new byte[3 * ArrivalBuffer.CHUNK + 17];
        new Random(1).nextBytes(content);
        ArrivalBuffer buffer = new ArrivalBuffer(content.length);
        for (int at = 0; at < content.length; at += 1000) {
            buffer.write(content, at, Math.min(1000, content.length - at));
        }
        assertThat(buffer.allocated()).isEqualTo(content.length);
        assertThat(buffer.stream().readAllBytes()).isEqualTo(content);
        assertThat(buffer.stream().readAllBytes()).isEqualTo(content);
        buffer.clear();
        assertThat(buffer.allocated()).isZero();
        assertThat(new ArrivalBuffer(0).stream().readAllBytes()).isEmpty();
    }

    @Test
    void writingPastTheLimitFails() throws IOException {
        ArrivalBuffer buffer = new ArrivalBuffer(10);
        buffer.write(new byte[9]);
        assertThatThrownBy(() -> buffer.write(new byte[2])).isInstanceOf(IOException.class)
                .hasMessageContaining("more than the announced 10 bytes");
        buffer.write(1);
        assertThat(buffer.size()).isEqualTo(10);
    }
}
