package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One put: {@code dataLength} bytes of the key's content starting at {@code offset}, or with
 * {@code dataPresent} no bytes at all but the claim that the content already arrived another way.
 */
public record Upload(Key key, AnnexUuid client, long offset, long dataLength, boolean dataPresent, InputStream body) {

    private static final int BUFFER_SIZE = 256 * 1024;

    /**
     * Copies the announced {@code dataLength} bytes of the body to {@code out}; returns how many
     * arrived, fewer when the client stopped sending (ended or failed) first. A failure of
     * {@code out} is thrown.
     */
    public long copyBodyTo(OutputStream out) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(dataLength, 1))];
        long total = 0;
        while (total < dataLength) {
            int n;
            try {
                n = body.read(buffer, 0, (int) Math.min(buffer.length, dataLength - total));
            } catch (IOException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }
}
