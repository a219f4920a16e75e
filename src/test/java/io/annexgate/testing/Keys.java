package io.annexgate.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA256E keys of test content, as git-annex computes them. */
public final class Keys {

    private Keys() {
    }

    public static String sha256e(byte[] content, String extension) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            return "SHA256E-s" + content.length + "--" + hash + extension;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256e(String content) {
        return sha256e(content.getBytes(StandardCharsets.UTF_8), ".txt");
    }
}
