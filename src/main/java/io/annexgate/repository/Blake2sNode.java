package io.annexgate.repository;

import java.util.Arrays;

/**
 * One BLAKE2s hashing node (RFC 7693) with the tree parameters that BLAKE2sp
 * needs and Bouncy Castle's public API does not expose: fan-out, depth, node
 * offset, node depth, inner length and the last-node flag.
 */
final class Blake2sNode {

    static final int BLOCK_BYTES = 64;
    static final int MAX_DIGEST_BYTES = 32;

    private static final int[] IV = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    private static final byte[][] SIGMA = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
        {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
        {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
        {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
        {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
        {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
        {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
        {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
        {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    };

    /** The parameter block fields used here (no key, salt or personalisation). */
    record Parameters(int digestLength, int fanout, int depth, long nodeOffset, int nodeDepth,
            int innerLength, boolean lastNode) {

        Parameters {
            if (digestLength < 1 || digestLength > MAX_DIGEST_BYTES) {
                throw new IllegalArgumentException("digest length must be 1..32 bytes");
            }
        }

        /** Plain sequential BLAKE2s with this output length. */
        static Parameters sequential(int digestLength) {
            return new Parameters(digestLength, 1, 1, 0, 0, 0, false);
        }
    }

    private final Parameters parameters;
    private final int[] h = new int[8];
    private final int[] v = new int[16];
    private final int[] m = new int[16];
    private final byte[] buffer = new byte[BLOCK_BYTES];
    private int buffered;
    private long counter;

    Blake2sNode(Parameters parameters) {
        this.parameters = parameters;
        reset();
    }

    void reset() {
        Parameters p = parameters;
        h[0] = IV[0] ^ (p.digestLength() | p.fanout() << 16 | p.depth() << 24);
        h[1] = IV[1]; // leaf length 0
        h[2] = IV[2] ^ (int) p.nodeOffset();
        h[3] = IV[3] ^ ((int) (p.nodeOffset() >>> 32) & 0xffff | p.nodeDepth() << 16 | p.innerLength() << 24);
        for (int i = 4; i < 8; i++) {
            h[i] = IV[i];
        }
        buffered = 0;
        counter = 0;
        Arrays.fill(buffer, (byte) 0);
    }

    void update(byte[] in, int offset, int length) {
        if (length <= 0) {
            return;
        }
        // the last block is kept until doFinal, which must flag it
        if (buffered + length > BLOCK_BYTES) {
            int fill = BLOCK_BYTES - buffered;
            System.arraycopy(in, offset, buffer, buffered, fill);
            counter += BLOCK_BYTES;
            compress(buffer, 0, false);
            buffered = 0;
            offset += fill;
            length -= fill;
            while (length > BLOCK_BYTES) {
                counter += BLOCK_BYTES;
                compress(in, offset, false);
                offset += BLOCK_BYTES;
                length -= BLOCK_BYTES;
            }
        }
        System.arraycopy(in, offset, buffer, buffered, length);
        buffered += length;
    }

    /**
     * Writes the first outputLength bytes of the final chaining value to out
     * and resets. Normally outputLength is the parameter block's digest length;
     * BLAKE2sp leaves output all 32 bytes whatever the tree's digest length.
     */
    void doFinal(byte[] out, int outOffset, int outputLength) {
        counter += buffered;
        Arrays.fill(buffer, buffered, BLOCK_BYTES, (byte) 0);
        compress(buffer, 0, true);
        for (int i = 0; i < outputLength; i++) {
            out[outOffset + i] = (byte) (h[i >>> 2] >>> (8 * (i & 3)));
        }
        reset();
    }

    private void compress(byte[] block, int offset, boolean last) {
        for (int i = 0; i < 16; i++) {
            int p = offset + 4 * i;
            m[i] = (block[p] & 0xff) | (block[p + 1] & 0xff) << 8 | (block[p + 2] & 0xff) << 16
                    | (block[p + 3] & 0xff) << 24;
        }
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) counter;
        v[13] ^= (int) (counter >>> 32);
        if (last) {
            v[14] = ~v[14];
            if (parameters.lastNode()) {
                v[15] = ~v[15];
            }
        }
        for (byte[] s : SIGMA) {
            mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    private void mix(int a, int b, int c, int d, int x, int y) {
        v[a] += v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] += v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
