package io.annexgate.repository;

import org.bouncycastle.crypto.Digest;

/**
 * BLAKE2sp (8 BLAKE2s leaves, one root) with any output length up to 32 bytes.
 * Bouncy Castle's Blake2spDigest only produces 32 bytes; git-annex's BLAKE2SP224
 * needs 28, which changes every node's parameter block, not just the output.
 */
final class Blake2spTreeDigest implements Digest {

    private static final int LEAVES = 8;
    private static final int STRIPE = LEAVES * Blake2sNode.BLOCK_BYTES;

    private final int digestLength;
    private final Blake2sNode[] leaves = new Blake2sNode[LEAVES];
    private final Blake2sNode root;
    private final byte[] leafDigest = new byte[Blake2sNode.MAX_DIGEST_BYTES];
    private int stripePosition;

    Blake2spTreeDigest(int digestLength) {
        this.digestLength = digestLength;
        for (int i = 0; i < LEAVES; i++) {
            // every leaf outputs 32 bytes but its parameter block carries the final length
            leaves[i] = new Blake2sNode(new Blake2sNode.Parameters(
                    digestLength, LEAVES, 2, i, 0, Blake2sNode.MAX_DIGEST_BYTES, i == LEAVES - 1));
        }
        root = new Blake2sNode(new Blake2sNode.Parameters(
                digestLength, LEAVES, 2, 0, 1, Blake2sNode.MAX_DIGEST_BYTES, true));
    }

    @Override
    public String getAlgorithmName() {
        return "BLAKE2sp-" + digestLength * 8;
    }

    @Override
    public int getDigestSize() {
        return digestLength;
    }

    @Override
    public void update(byte in) {
        update(new byte[] {in}, 0, 1);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        // 64-byte block number n of the message belongs to leaf n mod 8
        while (length > 0) {
            int leaf = stripePosition / Blake2sNode.BLOCK_BYTES;
            int n = Math.min(length, Blake2sNode.BLOCK_BYTES - stripePosition % Blake2sNode.BLOCK_BYTES);
            leaves[leaf].update(in, offset, n);
            offset += n;
            length -= n;
            stripePosition = (stripePosition + n) % STRIPE;
        }
    }

    @Override
    public int doFinal(byte[] out, int outOffset) {
        for (Blake2sNode leaf : leaves) {
            leaf.doFinal(leafDigest, 0, Blake2sNode.MAX_DIGEST_BYTES);
            root.update(leafDigest, 0, leafDigest.length);
        }
        root.doFinal(out, outOffset, digestLength);
        stripePosition = 0;
        return digestLength;
    }

    @Override
    public void reset() {
        for (Blake2sNode leaf : leaves) {
            leaf.reset();
        }
        root.reset();
        stripePosition = 0;
    }
}
