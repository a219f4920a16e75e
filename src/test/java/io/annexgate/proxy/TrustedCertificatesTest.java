package io.annexgate.proxy;

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
        TrustedCertificates jdk = TrustedCertificates.with(Optional.empty());
        assertThat(jdk.sslContext()).isSameAs(SSLContext.getDefault());
        assertThat(jdk.trustManagers()).isEmpty();
    }

    @Test
    void aMissingFileOrOneWithoutCertificatesStopsTheServerWithTheReason() throws IOException {
        assertThatThrownBy(() -> TrustedCertificates.with(Optional.of(tmp.resolve("missing.pem"))))
                .hasMessageContaining("annexgate.proxy.ca-file").hasMessageContaining("missing.pem");
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "no certificates here\n");
        assertThatThrownBy(() -> TrustedCertificates.with(Optional.of(empty))).hasMessageContaining("empty.pem");
    }
}
