package io.annexgate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.Blake2spDigest;

/** Cross-checks the hand-written BLAKE2s node and BLAKE2sp tree against Bouncy Castle. */
class Blake2spTreeDigestTest {

    @Property(tries = 300)
    void treeOf32BytesIsBouncyCastlesBlake2sp(@ForAll @Size(max = 3000) byte[] data,
            @ForAll @IntRange(min = 1, max = 700) int piece) {
        assertThat(hash(new Blake2spTreeDigest(32), data, piece)).isEqualTo(hash(new Blake2spDigest(null), data, 4096));
    }

    @Property(tries = 300)
    void sequentialNodeIsBouncyCastlesBlake2s(@ForAll @Size(max = 1000) byte[] data,
            @ForAll @IntRange(min = 1, max = 32) int digestBytes, @ForAll @IntRange(min = 1, max = 130) int piece) {
        Blake2sNode node = new Blake2sNode(Blake2sNode.Parameters.sequential(digestBytes));
        for (int off = 0; off < data.length; off += piece) {
            node.update(data, off, Math.min(piece, data.length - off));
        }
        byte[] mine = new byte[digestBytes];
        node.doFinal(mine, 0, digestBytes);
        assertThat(mine).isEqualTo(hash(new Blake2sDigest(digestBytes * 8), data, 4096));
    }

    @Property(tries = 50)
    void resetStartsAfresh(@ForAll @Size(max = 1500) byte[] data) {
        Blake2spTreeDigest digest = new Blake2spTreeDigest(28);
        byte[] first = hash(digest, data, 100);
        digest.update(new byte[77], 0, 77);
        digest.reset();
        assertThat(hash(digest, data, 33)).isEqualTo(first);
    }

    private static byte[] hash(Digest digest, byte[] data, int piece) {
        for (int off = 0; off < data.length; off += piece) {
            digest.update(data, off, Math.min(piece, data.length - off));
        }
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
