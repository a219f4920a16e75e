package io.annexgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexgate.testing.Command;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/** A certificate replaced without its key (or the other way round) is not handed to Jetty. */
class TlsReloadTest {

    @TempDir
    Path tmp;

    private KeyStore keyStore(String cert, String key) {
        return new PemSslStoreBundle(PemSslStoreDetails.forCertificate("file:" + tmp.resolve(cert))
                .withPrivateKey("file:" + tmp.resolve(key)), null).getKeyStore();
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        assumeTrue(Command.run(tmp, "openssl", "version").ok(), "openssl makes the test certificates");
        for (String name : new String[] {"one", "two"}) {
            Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-keyout", name + "-key.pem", "-out", name + ".pem");
        }
        Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-subj", "/CN=ec", "-keyout", "ec-key.pem", "-out", "ec.pem");

        assertThat(TlsReload.keysMatchCertificates(keyStore("one.pem", "one-key.pem"), null)).isTrue();
        assertThat(TlsReload.keysMatchCertificates(keyStore("ec.pem", "ec-key.pem"), null)).isTrue();
        assertThat(TlsReload.keysMatchCertificates(keyStore("two.pem", "one-key.pem"), null)).isFalse();
    }
}
