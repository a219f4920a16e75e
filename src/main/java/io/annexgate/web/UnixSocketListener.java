package io.annexgate.web;

import io.annexgate.config.StartupFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --socket}: the API listens on a Unix domain socket instead of TCP, with mode 0660 so a
 * front end in the socket's group can connect; Jetty removes the socket when it stops.
 */
final class UnixSocketListener {

    private static final Logger log = LoggerFactory.getLogger(UnixSocketListener.class);

    private UnixSocketListener() {
    }

    /** Replaces the server's TCP connector by one on {@code socket}, speaking the same protocols. */
    static void listenOn(Server server, Path socket) {
        Path path = socket.toAbsolutePath().normalize();
        if (!Files.isDirectory(path.getParent()) || !Files.isWritable(path.getParent())) {
            throw new StartupFailure("cannot listen on --socket " + path + ": its directory does not exist or is not writable");
        }
        removeStale(path);
        Connector tcp = server.getConnectors()[0];
        UnixDomainServerConnector unix = new UnixDomainServerConnector(server,
                tcp.getConnectionFactories().toArray(ConnectionFactory[]::new));
        unix.setUnixDomainPath(path);
        unix.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                try {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot set the mode of " + path, e);
                }
                log.info("listening on unix socket {}", path);
            }
        });
        server.setConnectors(new Connector[] {unix});
    }

    /** A socket file nobody answers on is left from a server that died: remove it so binding works. */
    private static void removeStale(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new StartupFailure("another server is listening on --socket " + path);
        } catch (IOException refused) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale socket " + path, e);
            }
        }
    }
}
