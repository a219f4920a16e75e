package io.annexgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Range headers against a representation of known size, RFC 9110 14.1. */
class ByteRangeTest {

    @Test
    void singleRanges() {
        assertThat(ByteRange.of("bytes=0-0", 10)).contains(new ByteRange.Slice(0, 0));
        assertThat(ByteRange.of("bytes=9-9", 10)).contains(new ByteRange.Slice(9, 9));
        assertThat(ByteRange.of("bytes=2-5", 10)).contains(new ByteRange.Slice(2, 5));
        assertThat(ByteRange.of("bytes=4-", 10)).contains(new ByteRange.Slice(4, 9));
        assertThat(ByteRange.of("bytes=-3", 10)).contains(new ByteRange.Slice(7, 9));
        assertThat(ByteRange.of("bytes=-30", 10)).contains(new ByteRange.Slice(0, 9));
        assertThat(ByteRange.of("bytes=5-99999999999999999999", 10)).contains(new ByteRange.Slice(5, 9));
        assertThat(ByteRange.of("BYTES = 1-2", 10)).isEmpty();
        assertThat(ByteRange.of("Bytes=1-2", 10)).contains(new ByteRange.Slice(1, 2));
    }

    @Test
    void pastTheEndIsUnsatisfiable() {
        assertThat(ByteRange.of("bytes=10-", 10)).contains(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.of("bytes=10-20", 10)).contains(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.of("bytes=-0", 10)).contains(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.of("bytes=0-", 0)).contains(new ByteRange.Unsatisfiable());
    }

    @Test
    void whatIsNotOneRangeIsIgnored() {
        assertThat(ByteRange.of(null, 10)).isEmpty();
        assertThat(ByteRange.of("bytes=0-1,3-4", 10)).isEmpty();
        assertThat(ByteRange.of("bytes=5-2", 10)).isEmpty();
        assertThat(ByteRange.of("items=0-1", 10)).isEmpty();
        assertThat(ByteRange.of("bytes=a-b", 10)).isEmpty();
        assertThat(ByteRange.of("bytes=-", 10)).isEmpty();
        assertThat(ByteRange.of("bytes=-5", 0)).isEmpty();
    }
}
