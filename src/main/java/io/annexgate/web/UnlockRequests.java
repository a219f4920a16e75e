package io.annexgate.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The body of a keeplocked long poll: newline-framed {@code {"unlock":false}} / {@code {"unlock":true}}
 * objects, read until an unlock, the end of the body or an error. A line is held only up to
 * {@code maxLine} bytes: a longer one ends the reading at once, however much more the client sends.
 */
final class UnlockRequests {

    /** How the body ended. */
    sealed interface Ending {
        /** {@code {"unlock":true}}: the client is done with the lock. */
        record Unlock() implements Ending { }

        /** The body ended, broke, or held a line that is not an unlock request, before any unlock. */
        record Ended() implements Ending { }

        /** A line ran past {@code limit} bytes before its newline. */
        record LineTooLong(int limit) implements Ending { }

        /** The server is stopping and answered the poll before its body ended ({@link KeeplockedPolls}). */
        record ServerStopping() implements Ending { }

        /**
         * The lock stopped being this poll's to keep before its body ended: a proxied remote's lock
         * went with its connection, or a retry of the keeplocked took it over.
         */
        record LockEnded() implements Ending { }
    }

    private static final int READ_SIZE = 8 * 1024;

    private UnlockRequests() {
    }

    /** Reads {@code body} until it says how it ends; never holds more than {@code maxLine} bytes of a line. */
    static Ending read(InputStream body, int maxLine) {
        byte[] chunk = new byte[Math.min(READ_SIZE, maxLine + 1)];
        byte[] line = new byte[Math.min(256, maxLine)];
        int length = 0;
        try {
            int n;
            while ((n = body.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        switch (meaning(line, length)) {
                            case UNLOCK -> {
                                return new Ending.Unlock();
                            }
                            case MALFORMED -> {
                                return new Ending.Ended();
                            }
                            case KEEP -> length = 0;
                        }
                        continue;
                    }
                    if (length == maxLine) {
                        return new Ending.LineTooLong(maxLine);
                    }
                    if (length == line.length) {
                        line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLine));
                    }
                    line[length++] = b;
                }
            }
            return meaning(line, length) == Meaning.UNLOCK ? new Ending.Unlock() : new Ending.Ended();
        } catch (IOException e) {
            return new Ending.Ended();
        }
    }

    /** What one line asks. */
    private enum Meaning { KEEP, UNLOCK, MALFORMED }

    /** A blank line or {@code {"unlock":false}} keeps the lock; a line that is not JSON ends the body. */
    private static Meaning meaning(byte[] line, int length) {
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Meaning.KEEP;
        }
        try {
            JsonNode node = ApiResponses.mapper().readTree(text);
            return node.path("unlock").asBoolean(false) ? Meaning.UNLOCK : Meaning.KEEP;
        } catch (JacksonException e) {
            return Meaning.MALFORMED;
        }
    }
}
