package io.annexgate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The certificate followed by the --chainfile certificates, in one file the SSL bundle reads.
 * The bundle watches that file, not its sources, so the sources are read again every few seconds
 * and the file replaced (atomically) when they changed: a renewed certificate or chain is then
 * picked up as a lone --certfile is.
 */
public final class ChainedCertificate implements AutoCloseable {

    /** Where P2pHttpEnvironment names the combined file for this bean. */
    static final String PROPERTY = "annexgate.tls.combined-certificate";

    private static final Log log = LogFactory.getLog(ChainedCertificate.class);

    private final Path certificate;
    private final List<Path> chain;
    private final Path combined;
    private ScheduledExecutorService timer;

    ChainedCertificate(Path certificate, List<Path> chain, Path combined) {
        this.certificate = certificate;
        this.chain = List.copyOf(chain);
        this.combined = combined;
    }

    /** Writes the combined file in a new private directory (watched for it alone) and returns it. */
    static Path create(Path certificate, List<Path> chain) throws IOException {
        Path dir = Files.createTempDirectory("annexgate-tls");
        dir.toFile().deleteOnExit();
        Path combined = dir.resolve("certificate.pem");
        Files.writeString(combined, content(certificate, chain));
        combined.toFile().deleteOnExit();
        return combined;
    }

    private static String content(Path certificate, List<Path> chain) throws IOException {
        List<String> parts = new ArrayList<>();
        parts.add(Files.readString(certificate));
        for (Path c : chain) {
            parts.add(Files.readString(c));
        }
        return String.join("\n", parts);
    }

    /** Rewrites the combined file when the sources differ from it; true when it did. */
    boolean refresh() throws IOException {
        String now = content(certificate, chain);
        if (now.equals(Files.readString(combined))) {
            return false;
        }
        Path next = Files.createTempFile(combined.getParent(), "next", ".pem");
        Files.writeString(next, now);
        Files.move(next, combined, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Checks the sources every {@code seconds}. */
    void start(long seconds) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("annexgate-chain").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (refresh()) {
                    log.info("annexgate: the certificate or chain file changed; the combined certificate was rewritten");
                }
            } catch (IOException | UncheckedIOException e) {
                log.warn("annexgate: cannot read the certificate and chain files, the served certificate stays: " + e.getMessage());
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
