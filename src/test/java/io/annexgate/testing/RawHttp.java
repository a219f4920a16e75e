package io.annexgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 read off a raw socket, for tests that control what goes over one connection. */
public final class RawHttp {

    private RawHttp() {
    }

    /** One response with a Content-Length: its head and body as text; EOF when the server closed first. */
    public static String responseOn(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after: " + head);
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)content-length: *([0-9]+)").matcher(head);
        assertThat(length.find()).as("Content-Length in %s", head).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
