package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * git-annex's two hash-directory schemes for a key (Annex/DirHashes.hs), both
 * from the MD5 of the serialised non-chunk key. Results have no trailing slash.
 */
public final class HashDirectories {

    private static final String MIXED_ALPHABET = "0123456789zqjxkmvwgpfZQJXKMVWGPF";

    private HashDirectories() {
    }

    /**
     * hashdirlower: hex MD5, three characters per level, e.g. {@code "f87/4d5"}
     * (levels 2) or {@code "f87"} (levels 1). Used by bare repositories, the
     * git-annex branch and special remotes.
     */
    public static String lower(Key key, int levels) {
        checkLevels(levels);
        String hex = HexFormat.of().formatHex(md5(key), 0, 3);
        return levels == 1 ? hex.substring(0, 3) : hex.substring(0, 3) + "/" + hex.substring(3, 6);
    }

    /**
     * hashdirmixed: two characters per level from a 32-letter alphabet,
     * e.g. {@code "pX/ZJ"}. Used for new content in non-bare repositories.
     */
    public static String mixed(Key key, int levels) {
        checkLevels(levels);
        byte[] digest = md5(key);
        long word = (digest[0] & 0xffL) | (digest[1] & 0xffL) << 8 | (digest[2] & 0xffL) << 16
                | (digest[3] & 0xffL) << 24;
        // characters 0..3 of git-annex's display_32bits_as_dir, whose pairs are swapped
        char c0 = mixedChar(word, 0);
        char c1 = mixedChar(word, 1);
        char c2 = mixedChar(word, 2);
        char c3 = mixedChar(word, 3);
        String first = new String(new char[] {c1, c0});
        return levels == 1 ? first : first + "/" + c3 + c2;
    }

    private static char mixedChar(long word, int index) {
        return MIXED_ALPHABET.charAt((int) ((word >>> (6 * index)) & 31));
    }

    private static void checkLevels(int levels) {
        if (levels != 1 && levels != 2) {
            throw new IllegalArgumentException("hash levels must be 1 or 2, not " + levels);
        }
    }

    private static byte[] md5(Key key) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest(key.withoutChunk().serialize().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
