package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a keeplocked body line by line, never more than the line limit. */
class UnlockRequestsTest {

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepAlivesThenAnUnlock() {
        assertThat(UnlockRequests.read(body("{\"unlock\":false}\n\n{\"unlock\":false}\n{\"unlock\":true}\n"), 64))
                .isEqualTo(new UnlockRequests.Ending.Unlock());
        assertThat(UnlockRequests.read(body("{\"unlock\":false}\n{\"unlock\":true}"), 64))
                .as("an unlock without its newline at the end of the body")
                .isEqualTo(new UnlockRequests.Ending.Unlock());
    }

    @Test
    void anEndWithoutUnlockOrALineThatIsNotJsonEndsTheBody() {
        assertThat(UnlockRequests.read(body("{\"unlock\":false}\n"), 64)).isEqualTo(new UnlockRequests.Ending.Ended());
        assertThat(UnlockRequests.read(body("garbage\n{\"unlock\":true}\n"), 64)).isEqualTo(new UnlockRequests.Ending.Ended());
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndOneByteMoreIsTooLong() {
        String atLimit = " ".repeat(15) + "{\"unlock\":true}";   // 30 bytes
        assertThat(UnlockRequests.read(body(atLimit + "\n"), 30)).isEqualTo(new UnlockRequests.Ending.Unlock());
        assertThat(UnlockRequests.read(body(" " + atLimit + "\n"), 30))
                .isEqualTo(new UnlockRequests.Ending.LineTooLong(30));
    }

    @Test
    void anEndlessLineIsRefusedAfterTheLimitWithoutReadingTheRest() {
        // a body that never ends: reading it to the end would never return
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertThat(UnlockRequests.read(endless, 64 * 1024)).isEqualTo(new UnlockRequests.Ending.LineTooLong(64 * 1024));
        InputStream twoLines = new SequenceInputStream(Collections.enumeration(List.of(
                body("{\"unlock\":false}\n"), body("y".repeat(100)))));
        assertThat(UnlockRequests.read(twoLines, 99)).isEqualTo(new UnlockRequests.Ending.LineTooLong(99));
    }
}
