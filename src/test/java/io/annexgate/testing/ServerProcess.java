package io.annexgate.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Annexgate in a process of its own, on free loopback ports, so a test can kill it with a real
 * signal and start it again on the same repository; optionally run under a wrapper such as strace.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ServerProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts a server on {@code repository} with p2phttp-style flags and waits until it is ready. */
    public static ServerProcess start(Path repository, List<String> wrapper, String... flags) {
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(wrapper);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-Xss512k", "-XX:+UseSerialGC", "-cp", classPath(), "io.annexgate.AnnexgateApplication",
                "--annexgate.repository=" + repository, "--annexgate.port=" + port, "--annexgate.bind=127.0.0.1",
                "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1"));
        command.addAll(List.of(flags));
        try {
            Path log = Files.createTempFile("annexgate-process", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Command.environment());
            ServerProcess server = new ServerProcess(builder.start(), port, managementPort, log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the server with the launcher's flags only ({@code flags} as a user types them) in
     * {@code dir} until it exits, for starts that must fail; answers its exit status and output.
     */
    public static Command.Result runUntilExit(Path dir, String... flags) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classPath(), "io.annexgate.AnnexgateApplication",
                "--management-port=0", "--bind=127.0.0.1"));
        command.addAll(List.of(flags));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(Command.environment());
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new Command.Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ServerProcess start(Path repository, String... flags) {
        return start(repository, List.of(), flags);
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited (" + process.exitValue() + "): " + output());
            }
            return readinessStatus() == 200;
        });
    }

    /** A GET on the management port; empty when it does not answer. */
    private <T> Optional<HttpResponse<T>> managementGet(String path, HttpResponse.BodyHandler<T> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return Optional.of(http.send(request, body));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The API's TCP port. */
    public int port() {
        return port;
    }

    /** Whether a new TCP connection to the API port is accepted now (false once the listener is closed). */
    public boolean acceptsConnections() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status of the readiness probe, or -1 when the management port does not answer. */
    public int readinessStatus() {
        return managementGet("/actuator/health/readiness", HttpResponse.BodyHandlers.discarding())
                .map(HttpResponse::statusCode).orElse(-1);
    }

    /** What Prometheus would scrape from the management port now; empty when it does not answer. */
    public String prometheus() {
        return managementGet("/actuator/prometheus", HttpResponse.BodyHandlers.ofString()).map(HttpResponse::body).orElse("");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Open file descriptors of the server process. */
    public long openFiles() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the server process's threads, from /proc/PID/task/TID/comm. */
    public List<String> threadNames() {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    return "(gone)";
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field of /proc/PID/status as a number, e.g. {@code Threads} or {@code VmRSS} (in kB). */
    public long status(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.substring(field.length() + 1).strip().split("\\s+")[0])
                    .mapToLong(Long::parseLong).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** What the server printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** SIGKILL: the server gets no chance to clean up, as in a crash or an OOM kill. */
    public void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofMinutes(1)).until(() -> !process.isAlive());
    }

    /** SIGTERM, and waits for the exit; answers the exit status. */
    public int terminate(Duration within) {
        sendTerminate();
        return awaitExit(within);
    }

    /** SIGTERM, without waiting: the server shuts down while the test goes on. */
    public void sendTerminate() {
        process.destroy();
    }

    /** Waits for the process to exit; answers the exit status. */
    public int awaitExit(Duration within) {
        await().atMost(within).until(() -> !process.isAlive());
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file
        }
    }
}
