package io.annexgate.repository;

import io.annexgate.protocol.Key;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2bpDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.Blake2spDigest;
import org.bouncycastle.crypto.digests.SkeinDigest;

/**
 * Verifies content against a key's hash in one pass while the bytes arrive
 * (git-annex Backend/Hash.hs and Backend/GitRemoteAnnex.hs). Not thread-safe;
 * one instance per transfer.
 */
public final class ContentHasher {

    /** The hash of each hash backend, by name without the trailing 'E'. */
    private static final Map<String, Supplier<Engine>> HASHES = Map.ofEntries(
            Map.entry("SHA256", jdk("SHA-256")),
            Map.entry("SHA512", jdk("SHA-512")),
            Map.entry("SHA224", jdk("SHA-224")),
            Map.entry("SHA384", jdk("SHA-384")),
            Map.entry("SHA1", jdk("SHA-1")),
            Map.entry("MD5", jdk("MD5")),
            Map.entry("SHA3_224", jdk("SHA3-224")),
            Map.entry("SHA3_256", jdk("SHA3-256")),
            Map.entry("SHA3_384", jdk("SHA3-384")),
            Map.entry("SHA3_512", jdk("SHA3-512")),
            // git-annex uses Skein-256-256 and Skein-512-512 (state size = output size)
            Map.entry("SKEIN256", bc(() -> new SkeinDigest(256, 256))),
            Map.entry("SKEIN512", bc(() -> new SkeinDigest(512, 512))),
            Map.entry("BLAKE2B160", bc(() -> new Blake2bDigest(160))),
            Map.entry("BLAKE2B224", bc(() -> new Blake2bDigest(224))),
            Map.entry("BLAKE2B256", bc(() -> new Blake2bDigest(256))),
            Map.entry("BLAKE2B384", bc(() -> new Blake2bDigest(384))),
            Map.entry("BLAKE2B512", bc(() -> new Blake2bDigest(512))),
            Map.entry("BLAKE2BP512", bc(() -> new Blake2bpDigest(null))),
            Map.entry("BLAKE2S160", bc(() -> new Blake2sDigest(160))),
            Map.entry("BLAKE2S224", bc(() -> new Blake2sDigest(224))),
            Map.entry("BLAKE2S256", bc(() -> new Blake2sDigest(256))),
            Map.entry("BLAKE2SP224", bc(() -> new Blake2spTreeDigest(28))),
            Map.entry("BLAKE2SP256", bc(() -> new Blake2spDigest(null))));

    private static final String GIT_BUNDLE = "GITBUNDLE";
    private static final int SCRATCH_BYTES = 16 * 1024;

    private final Engine engine;
    private final String expectedHash;
    private final boolean acceptBackslashPrefix;
    private String hexDigest;

    private ContentHasher(Engine engine, String expectedHash, boolean acceptBackslashPrefix) {
        this.engine = engine;
        this.expectedHash = expectedHash;
        this.acceptBackslashPrefix = acceptBackslashPrefix;
    }

    /**
     * A hasher for the key's content, or empty when its backend has no
     * checkable hash (WORM, URL, VURL, GITMANIFEST, external X*, unknown).
     */
    public static Optional<ContentHasher> forKey(Key key) {
        String backend = key.backend();
        if (backend.equals(GIT_BUNDLE)) {
            // name is "<uuid>-<sha256>"; the hash is what follows the last '-'
            String name = key.name();
            return Optional.of(new ContentHasher(jdk("SHA-256").get(),
                    name.substring(name.lastIndexOf('-') + 1), false));
        }
        Supplier<Engine> hash = HASHES.get(backend);
        if (hash == null && backend.endsWith("E")) {
            hash = HASHES.get(backend.substring(0, backend.length() - 1));
        }
        if (hash == null) {
            return Optional.empty();
        }
        return Optional.of(new ContentHasher(hash.get(), hashPart(key.name()), true));
    }

    /** True when {@link #forKey(Key)} returns a hasher. */
    public static boolean canVerify(Key key) {
        String backend = key.backend();
        return backend.equals(GIT_BUNDLE) || HASHES.containsKey(backend)
                || backend.endsWith("E") && HASHES.containsKey(backend.substring(0, backend.length() - 1));
    }

    /** True when the key records no size or records exactly this size. */
    public static boolean sizeMatches(Key key, long actualSize) {
        return key.size().isEmpty() || key.size().getAsLong() == actualSize;
    }

    /** Feeds len bytes of b from off. */
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        engine.update(b, off, len);
    }

    /** Feeds the buffer's remaining bytes, leaving its position at its limit. */
    public void update(ByteBuffer buf) {
        checkOpen();
        engine.update(buf);
    }

    /** Finishes hashing (further updates fail) and returns the lower-case hex digest. */
    public String hexDigest() {
        if (hexDigest == null) {
            hexDigest = HexFormat.of().formatHex(engine.finish());
        }
        return hexDigest;
    }

    /**
     * Finishes hashing and tells whether the digest is the key's hash. Like
     * git-annex the comparison is exact: a key with upper-case hex does not
     * match. Also like git-annex, a hash written with a leading backslash (an
     * old git-annex bug) is accepted for the Backend/Hash.hs backends.
     */
    public boolean matchesKey() {
        String actual = hexDigest();
        return actual.equals(expectedHash) || acceptBackslashPrefix && ("\\" + actual).equals(expectedHash);
    }

    /** The hash the content must have, as written in the key. */
    public String expectedHash() {
        return expectedHash;
    }

    /**
     * The hash part of a hash key's name: everything before the first '.'
     * (git-annex {@code keyHash}, applied to E and non-E backends alike).
     */
    static String hashPart(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private void checkOpen() {
        if (hexDigest != null) {
            throw new IllegalStateException("hash already finished");
        }
    }

    private static Supplier<Engine> jdk(String algorithm) {
        return () -> {
            try {
                return new JdkEngine(MessageDigest.getInstance(algorithm));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is required of every Java platform", e);
            }
        };
    }

    private static Supplier<Engine> bc(Supplier<Digest> digest) {
        return () -> new BouncyCastleEngine(digest.get());
    }

    /** A running hash. */
    private sealed interface Engine permits JdkEngine, BouncyCastleEngine {

        void update(byte[] b, int off, int len);

        void update(ByteBuffer buf);

        byte[] finish();
    }

    private record JdkEngine(MessageDigest digest) implements Engine {

        @Override
        public void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        public void update(ByteBuffer buf) {
            digest.update(buf);
        }

        @Override
        public byte[] finish() {
            return digest.digest();
        }
    }

    private static final class BouncyCastleEngine implements Engine {

        private final Digest digest;
        private byte[] scratch;

        BouncyCastleEngine(Digest digest) {
            this.digest = digest;
        }

        @Override
        public void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        public void update(ByteBuffer buf) {
            if (buf.hasArray()) {
                digest.update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
                buf.position(buf.limit());
                return;
            }
            // direct or read-only buffers: the digest API needs an array
            if (scratch == null) {
                scratch = new byte[SCRATCH_BYTES];
            }
            while (buf.hasRemaining()) {
                int n = Math.min(scratch.length, buf.remaining());
                buf.get(scratch, 0, n);
                digest.update(scratch, 0, n);
            }
        }

        @Override
        public byte[] finish() {
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return out;
        }
    }
}
