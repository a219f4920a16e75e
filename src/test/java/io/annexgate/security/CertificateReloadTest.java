package io.annexgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Command;
import io.annexgate.testing.TrustAll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renewed certificate (cert-manager rewriting the Secret's files) is served without a restart:
 * the files are swapped while the server runs and new handshakes get the new certificate.
 */
class CertificateReloadTest {

    @TempDir
    Path tmp;

    String signedBy;

    @Test
    void aCertificateSwappedOnDiskIsServedWithoutARestart() throws Exception {
        swapWhileServing();
    }

    @Test
    void withAChainFileTheSwappedCertificateIsServedToo() throws Exception {
        assumeTrue(Command.run(tmp, "openssl", "version").ok(), "openssl makes the test certificates");
        certificate("intermediate", "chain.pem", "chain-key.pem");
        signedBy = "chain";
        swapWhileServing("--chainfile=" + tmp.resolve("chain.pem"));
    }

    private void swapWhileServing(String... moreFlags) throws Exception {
        assumeTrue(Command.run(tmp, "openssl", "version").ok(), "openssl makes the test certificates");
        certificate("first", "cert.pem", "key.pem");
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        List<String> flags = new ArrayList<>(List.of("--wideopen",
                "--certfile=" + tmp.resolve("cert.pem"), "--privatekeyfile=" + tmp.resolve("key.pem")));
        flags.addAll(List.of(moreFlags));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), flags.toArray(String[]::new))) {
            assertThat(servedSubject(server.port())).contains("CN=first");

            certificate("second", "new-cert.pem", "new-key.pem");
            Files.move(tmp.resolve("new-key.pem"), tmp.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp.resolve("new-cert.pem"), tmp.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> servedSubject(server.port()).contains("CN=second"));
        }
    }

    /** Self-signed, or issued by {@code signedBy}.pem when set (a chain must be valid to be served). */
    private void certificate(String name, String cert, String key) {
        if (signedBy == null) {
            Command.ok(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
            return;
        }
        Command.ok(tmp, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", name + ".csr");
        Command.ok(tmp, "openssl", "x509", "-req", "-in", name + ".csr", "-days", "2", "-copy_extensions", "copy",
                "-CA", signedBy + ".pem", "-CAkey", signedBy + "-key.pem", "-CAcreateserial", "-out", cert);
    }

    /** The subject of the certificate a fresh handshake (no session to resume) is given. */
    private static String servedSubject(int port) throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        try (SSLSocket socket = (SSLSocket) TrustAll.context(seen::set).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
        }
        return seen.get().getSubjectX500Principal().getName();
    }
}
