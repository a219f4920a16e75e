package io.annexgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.boot.ssl.pem.PemContent;

/**
 * Checks {@code --certfile} and {@code --privatekeyfile} before the server starts: both readable
 * PEM, and the key the one the certificate was made for, so a mistake is one clear line at start
 * instead of a TLS handshake failure later.
 */
final class TlsFiles {

    private TlsFiles() {
    }

    static void check(Path certFile, Path keyFile) {
        List<X509Certificate> certificates;
        PrivateKey key;
        try {
            certificates = PemContent.load(certFile).getCertificates();
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("cannot read --certfile " + certFile + ": " + reason(e), e);
        }
        try {
            key = PemContent.load(keyFile).getPrivateKey();
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("cannot read --privatekeyfile " + keyFile + ": " + reason(e), e);
        }
        if (certificates.isEmpty()) {
            throw new StartupFailure("--certfile " + certFile + " holds no certificate");
        }
        if (key == null) {
            throw new StartupFailure("--privatekeyfile " + keyFile + " holds no private key");
        }
        if (!matches(key, certificates.get(0))) {
            throw new StartupFailure("--privatekeyfile " + keyFile + " is not the key of the certificate in --certfile "
                    + certFile);
        }
    }

    /** Whether a signature made with {@code key} verifies with the certificate's public key. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "annexgate".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
