package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class UnreadBodyTest {

    @Test
    void readsTheRestUpToTheAnnouncedLengthAndALittleMore() {
        ByteArrayInputStream shortBody = new ByteArrayInputStream(new byte[1000]);
        assertThat(UnreadBody.discard(shortBody, 5000)).isEqualTo(1000);
        assertThat(shortBody.available()).isZero();

        int tooLong = 100 + (int) UnreadBody.SLACK + 7;
        ByteArrayInputStream longBody = new ByteArrayInputStream(new byte[tooLong]);
        assertThat(UnreadBody.discard(longBody, 100)).isEqualTo(100 + UnreadBody.SLACK);
        assertThat(longBody.available()).isEqualTo(7);
    }

    @Test
    void aHugeOrNegativeAnnouncementDoesNotOverflowAndAFailingClientEndsIt() {
        assertThat(UnreadBody.discard(new ByteArrayInputStream(new byte[10]), Long.MAX_VALUE)).isEqualTo(10);
        assertThat(UnreadBody.discard(new ByteArrayInputStream(new byte[10]), -5)).isEqualTo(10);
        InputStream broken = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 3) {
                    return 1;
                }
                throw new IOException("client went away");
            }
        };
        assertThat(UnreadBody.discard(broken, 100)).isEqualTo(3);
    }
}
