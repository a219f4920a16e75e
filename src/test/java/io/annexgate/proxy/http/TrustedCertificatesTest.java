package io.annexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedCertificatesTest {

    @TempDir
    Path tmp;

    @Test
    void withoutAFileTheJdksDefaultsServe() throws Exception {
        assertThat(TrustedCertificates.sslContext(Optional.empty())).isSameAs(SSLContext.getDefault());
    }

    @Test
    void aMissingFileOrOneWithoutCertificatesStopsTheServerWithTheReason() throws IOException {
        assertThatThrownBy(() -> TrustedCertificates.sslContext(Optional.of(tmp.resolve("missing.pem"))))
                .hasMessageContaining("annexgate.proxy.ca-file").hasMessageContaining("missing.pem");
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "no certificates here\n");
        assertThatThrownBy(() -> TrustedCertificates.sslContext(Optional.of(empty)))
                .hasMessageContaining("empty.pem");
    }
}
