package io.annexgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Forwards TCP connections on a free loopback port to a Unix domain socket, as a front end would:
 * git-annex's client only speaks TCP.
 */
public final class UnixSocketRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final Path socket;

    private UnixSocketRelay(ServerSocket listener, Path socket) {
        this.listener = listener;
        this.socket = socket;
    }

    public static UnixSocketRelay to(Path socket) {
        try {
            UnixSocketRelay relay = new UnixSocketRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), socket);
            Thread.ofVirtual().start(relay::acceptLoop);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket tcp = listener.accept();
                SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
                unix.connect(UnixDomainSocketAddress.of(socket));
                Thread.ofVirtual().start(() -> pump(tcp, unix, true));
                Thread.ofVirtual().start(() -> pump(tcp, unix, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket tcp, SocketChannel unix, boolean upstream) {
        try {
            InputStream in = upstream ? tcp.getInputStream() : Channels.newInputStream(unix);
            OutputStream out = upstream ? Channels.newOutputStream(unix) : tcp.getOutputStream();
            in.transferTo(out);
            if (upstream) {
                unix.shutdownOutput();
            } else {
                tcp.shutdownOutput();
            }
        } catch (IOException e) {
            closeQuietly(tcp, unix);
        }
    }

    private static void closeQuietly(Socket tcp, SocketChannel unix) {
        try {
            tcp.close();
            unix.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
