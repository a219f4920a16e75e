package io.annexgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Base64WrappedTest {

    @Test
    void plainValueIsItsUtf8Bytes() {
        assertThat(Base64Wrapped.decode("foo")).containsExactly('f', 'o', 'o');
        assertThat(Base64Wrapped.decode("é")).containsExactly(0xc3, 0xa9);
        assertThat(Base64Wrapped.decode("")).isEmpty();
    }

    @Test
    void wrappedValueIsBase64UrlDecoded() {
        // examples from p2phttp-api.md §1.3
        assertThat(Base64Wrapped.decodeText("[Zm9v]")).isEqualTo("foo");
        assertThat(Base64Wrapped.decodeText("[W2Zvb10=]")).isEqualTo("[foo]");
        assertThat(Base64Wrapped.decode("[]")).isEmpty();
    }

    @Test
    void paddingIsOptional() {
        assertThat(Base64Wrapped.decodeText("[W2Zvb10]")).isEqualTo("[foo]");
        assertThat(Base64Wrapped.decodeText("[Zm8=]")).isEqualTo("fo");
        assertThat(Base64Wrapped.decodeText("[Zm8]")).isEqualTo("fo");
    }

    @Test
    void usesTheUrlSafeAlphabet() {
        assertThat(Base64Wrapped.decode("[-_8=]")).containsExactly(0xfb, 0xff);
        assertThat(Base64Wrapped.decode("[-_8]")).containsExactly(0xfb, 0xff);
        assertThatThrownBy(() -> Base64Wrapped.decode("[+/8=]"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("unable to base64 decode [] wrapped value");
    }

    @Test
    void badBase64IsRejectedWithTheServersMessage() {
        for (String bad : new String[] {"[Zm9v!]", "[Z]", "[Zm9v=]", "[a b]", "[Zg=]"}) {
            assertThatThrownBy(() -> Base64Wrapped.decode(bad))
                    .as(bad)
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("unable to base64 decode [] wrapped value");
        }
    }

    @Test
    void onlyFullyBracketedValuesAreWrapped() {
        assertThat(Base64Wrapped.decodeText("[Zm9v")).isEqualTo("[Zm9v");
        assertThat(Base64Wrapped.decodeText("Zm9v]")).isEqualTo("Zm9v]");
        assertThat(Base64Wrapped.decodeText("]")).isEqualTo("]");
        assertThat(Base64Wrapped.decodeText("[")).isEqualTo("[");
        assertThat(Base64Wrapped.decodeText("x[Zm9v]")).isEqualTo("x[Zm9v]");
    }

    @Test
    void decodeTextRejectsInvalidUtf8() {
        assertThatThrownBy(() -> Base64Wrapped.decodeText("[-_8=]"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage(Base64Wrapped.NOT_UTF8_ERROR);
    }

    @Test
    void encodesPlainTextAsIs() {
        assertThat(Base64Wrapped.encode("bc356c5a-ce2d-4771-b9e8-e7959b0c1800"))
                .isEqualTo("bc356c5a-ce2d-4771-b9e8-e7959b0c1800");
        assertThat(Base64Wrapped.encode("[foo")).isEqualTo("[foo");
        assertThat(Base64Wrapped.encode("é".getBytes(StandardCharsets.UTF_8))).isEqualTo("é");
        assertThat(Base64Wrapped.encode(new byte[0])).isEmpty();
    }

    @Test
    void wrapsValuesThatLookWrapped() {
        assertThat(Base64Wrapped.encode("[foo]")).isEqualTo("[W2Zvb10=]");
        assertThat(Base64Wrapped.encode("[foo]".getBytes(StandardCharsets.UTF_8))).isEqualTo("[W2Zvb10=]");
        assertThat(Base64Wrapped.encode("[]")).isEqualTo("[W10=]");
    }

    @Test
    void wrapsBytesThatAreNotUtf8() {
        assertThat(Base64Wrapped.encode(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("[-_8=]");
        assertThat(Base64Wrapped.encode(new byte[] {'a', (byte) 0xc3})).isEqualTo("[YcM=]");
    }

    @Property
    void bytesRoundTrip(@ForAll byte[] bytes) {
        assertThat(Base64Wrapped.decode(Base64Wrapped.encode(bytes))).isEqualTo(bytes);
    }

    @Property
    void textRoundTrip(@ForAll String text) {
        // lone surrogates are not encodable text; skip those
        String clean = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(Base64Wrapped.decodeText(Base64Wrapped.encode(clean))).isEqualTo(clean);
    }

    @Property
    void bracketedTextRoundTrips(@ForAll String inner) {
        String clean = "[" + new String(inner.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) + "]";
        String encoded = Base64Wrapped.encode(clean);
        assertThat(encoded).isNotEqualTo(clean).startsWith("[").endsWith("]");
        assertThat(Base64Wrapped.decodeText(encoded)).isEqualTo(clean);
    }
}
