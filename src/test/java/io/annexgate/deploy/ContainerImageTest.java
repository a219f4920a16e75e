package io.annexgate.deploy;

import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the project's Dockerfile, runs the image against repositories made by the real git-annex in a temporary
 * directory, and drives it with the real git-annex client over the P2P HTTP protocol.
 *
 * <p>Skipped where no Docker engine runs. Where one runs, git-annex must be installed on the host too; the CI
 * workflow sets ANNEXGATE_IMAGE_TEST_REQUIRED so that a missing git-annex fails the run instead of skipping.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerImageTest {

    /** Ports inside the container; Docker maps them to free ports on the host. */
    static final int API_PORT = 9417;
    static final int MANAGEMENT_PORT = 9416;
    static final String USER = "alice";
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static final String MIN_GIT_ANNEX = "10.20240731";

    @TempDir
    static Path work;

    static Path repos;
    static Path client;
    static String serverUuid;
    static GenericContainer<?> container;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void buildImageAndStartServer() throws Exception {
        boolean gitAnnex = hostHasGitAnnex();
        if (!gitAnnex && System.getenv("ANNEXGATE_IMAGE_TEST_REQUIRED") != null) {
            throw new IllegalStateException("git-annex is not installed on this host");
        }
        assumeTrue(gitAnnex, "git-annex is not installed on this host");

        repos = Files.createDirectories(work.resolve("repos"));
        Path server = repos.resolve("server");
        git(work, "init", "-q", server.toString());
        git(server, "annex", "init", "-q", "served by annexgate");
        serverUuid = git(server, "config", "annex.uuid").strip();
        // The server runs as the image's own uid, not the owner of these files, as with a volume
        // written by someone else: it needs write access, and git's safe.directory set by the image.
        makeWritableByAll(repos);

        container = new GenericContainer<>(new ImageFromDockerfile().withDockerfile(Path.of("Dockerfile")))
                .withExposedPorts(API_PORT, MANAGEMENT_PORT)
                .withFileSystemBind(repos.toString(), "/data/repos", BindMode.READ_WRITE)
                .withEnv(Map.of(
                        "ANNEXGATE_DIRECTORIES", "/data/repos",
                        "ANNEXGATE_AUTH_AUTHENVHTTP", "true",
                        "GIT_ANNEX_P2PHTTP_PASSWORD_" + USER, PASSWORD))
                .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("annexgate-container")))
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(MANAGEMENT_PORT).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        container.start();

        client = work.resolve("client");
        git(work, "clone", "-q", server.toString(), client.toString());
        git(client, "remote", "remove", "origin"); // only reach the server through HTTP
        git(client, "annex", "init", "-q", "client");
        // The server is on a loopback address, which git-annex refuses unless told otherwise.
        git(client, "config", "annex.security.allowed-ip-addresses", "all");
        String hostPort = container.getHost() + ":" + container.getMappedPort(API_PORT);
        git(client, "remote", "add", "gate", "http://" + hostPort + "/unused.git");
        git(client, "config", "remote.gate.annexurl", "annex+http://" + hostPort + "/git-annex/");
        git(client, "config", "remote.gate.annex-uuid", serverUuid);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (container != null) {
            try {
                // Files the server made belong to its uid: open them up so the temporary directory can be removed.
                container.execInContainer("chmod", "-R", "a+rwX", "/data/repos");
            } finally {
                container.stop();
            }
        }
        if (repos != null) {
            makeWritableByAll(repos);
        }
    }

    @Test
    void imageRunsAsAnUnprivilegedUserWithoutHealthcheckAndExposesBothPorts() throws Exception {
        ContainerConfig config = DockerClientFactory.instance().client()
                .inspectImageCmd(container.getDockerImageName()).exec().getConfig();
        assertThat(config.getUser()).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        assertThat(config.getHealthcheck()).isNull();
        assertThat(Arrays.stream(config.getExposedPorts()).map(ExposedPort::getPort))
                .contains(API_PORT, MANAGEMENT_PORT);
        assertThat(exec("id", "-u").strip()).isNotEqualTo("0");
    }

    @Test
    void imageHasANewEnoughGitAnnexAndRunsTheJvmAsTheChartDoes() throws Exception {
        String version = exec("git-annex", "version", "--raw").strip();
        assertThat(compareVersions(version, MIN_GIT_ANNEX)).as("git-annex %s", version).isGreaterThanOrEqualTo(0);
        assertThat(exec("git", "--version")).startsWith("git version");
        String flags = exec("java", "-XX:+PrintFlagsFinal", "-version");
        assertThat(flags).containsPattern("MaxRAMPercentage\\s*=\\s*60\\.0")
                // the collector chosen as bin/annexgate does, direct buffers capped, dumps to /tmp
                .containsPattern("\\bUseParallelGC\\s*=\\s*true")
                .containsPattern("\\bMaxDirectMemorySize\\s*=\\s*134217728\\b")
                .containsPattern("\\bHeapDumpOnOutOfMemoryError\\s*=\\s*true")
                .containsPattern("\\bHeapDumpPath\\s*=\\s*/tmp/")
                .containsPattern("\\bErrorFile\\s*=\\s*/tmp/");
    }

    @Test
    void imageHasTheSleepOfTheChartsPreStopHook() throws Exception {
        // the chart's preStop hook is an exec of `sleep N` (Kubernetes 1.23 has no sleep action)
        Map<String, Object> preStop = Chart.map(Chart.render(null).container(), "lifecycle", "preStop", "exec");
        assertThat(Chart.<String>list(preStop, "command")).first().isEqualTo("sleep");
        exec("sleep", "0");
    }

    @Test
    void probesAndMetricsAnswerOnTheManagementPort() throws Exception {
        assertThat(get(MANAGEMENT_PORT, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get(MANAGEMENT_PORT, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(MANAGEMENT_PORT, "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("annexgate_");
        assertThat(get(API_PORT, "/actuator/health/liveness").statusCode())
                .as("the actuator is not on the API port").isNotEqualTo(200);
    }

    @Test
    void gitAnnexClientCopiesDropsAndGetsContentThroughTheServer() throws Exception {
        String content = "annexed through annexgate " + UUID.randomUUID() + "\n";
        Files.writeString(client.resolve("file.txt"), content);
        git(client, "annex", "add", "-q", "file.txt");
        git(client, "commit", "-q", "-m", "add file.txt");
        String key = git(client, "annex", "lookupkey", "file.txt").strip();

        // Without credentials the server refuses to store anything.
        Result anonymous = run(client, "git", "annex", "copy", "--to", "gate", "file.txt");
        assertThat(anonymous.exit()).as(anonymous.output()).isNotZero();
        assertThat(objectOnServer(key)).isFalse();

        Path credentials = work.resolve("credentials");
        Files.writeString(credentials, "http://" + USER + ":" + PASSWORD + "@"
                + container.getHost() + ":" + container.getMappedPort(API_PORT) + "\n");
        git(client, "config", "credential.helper", "store --file=" + credentials);

        git(client, "annex", "copy", "--to", "gate", "file.txt");
        assertThat(objectOnServer(key)).as("content stored in the served repository").isTrue();

        // Dropping the only local copy needs the server to lock its copy.
        git(client, "annex", "drop", "file.txt");
        assertThat(Files.exists(client.resolve("file.txt"))).isTrue();
        assertThat(git(client, "annex", "find", "--in", "here")).doesNotContain("file.txt");

        git(client, "annex", "get", "--from", "gate", "file.txt");
        assertThat(Files.readString(client.resolve("file.txt"))).isEqualTo(content);

        git(client, "annex", "drop", "--from", "gate", "file.txt");
        assertThat(objectOnServer(key)).isFalse();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String metrics = get(MANAGEMENT_PORT, "/actuator/prometheus").body();
            assertThat(sumOf(metrics, "annexgate_bytes_received_total")).isGreaterThanOrEqualTo(content.length());
            assertThat(sumOf(metrics, "annexgate_bytes_sent_total")).isGreaterThanOrEqualTo(content.length());
            assertThat(metrics).contains("annexgate_requests_seconds_count");
        });
    }

    // --- helpers ---

    static boolean hostHasGitAnnex() {
        try {
            return run(Path.of("."), "git", "annex", "version", "--raw").exit() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean objectOnServer(String key) throws IOException {
        Path objects = repos.resolve("server").resolve(".git").resolve("annex").resolve("objects");
        if (!Files.isDirectory(objects)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(key) && Files.isRegularFile(p));
        }
    }

    static double sumOf(String prometheusText, String metric) {
        return prometheusText.lines()
                .filter(line -> line.startsWith(metric + " ") || line.startsWith(metric + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    static HttpResponse<String> get(int containerPort, String path) throws Exception {
        URI uri = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(containerPort) + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String exec(String... command) throws Exception {
        ExecResult result = container.execInContainer(command);
        assertThat(result.getExitCode()).as("%s: %s", List.of(command), result.getStderr()).isZero();
        return result.getStdout() + result.getStderr();
    }

    /** Negative, zero or positive as version a is older than, the same as or newer than b (dotted numbers). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.~-]");
        String[] y = b.split("[.~-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long xi = i < x.length ? Long.parseLong(x[i].replaceAll("\\D.*", "0")) : 0;
            long yi = i < y.length ? Long.parseLong(y[i].replaceAll("\\D.*", "0")) : 0;
            if (xi != yi) {
                return Long.compare(xi, yi);
            }
        }
        return 0;
    }

    record Result(int exit, String output) {
    }

    static String git(Path dir, String... args) {
        String[] command = Stream.concat(Stream.of("git"), Arrays.stream(args)).toArray(String[]::new);
        Result result = run(dir, command);
        assertThat(result.exit()).as("%s failed:%n%s", String.join(" ", command), result.output()).isZero();
        return result.output();
    }

    /** Runs a command with an environment isolated from the user's git configuration; never waits on a prompt. */
    static Result run(Path dir, String... command) {
        try {
            Path home = Files.createDirectories(work.resolve("home"));
            Path output = Files.createTempFile(work, "out", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = pb.environment();
            env.put("HOME", home.toString());
            env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("GIT_TERMINAL_PROMPT", "0");
            env.put("GIT_AUTHOR_NAME", "test");
            env.put("GIT_AUTHOR_EMAIL", "test@example.invalid");
            env.put("GIT_COMMITTER_NAME", "test");
            env.put("GIT_COMMITTER_EMAIL", "test@example.invalid");
            env.remove("GIT_CONFIG_COUNT");
            Process process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void makeWritableByAll(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                EnumSet<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
                if (Files.isDirectory(p)) {
                    perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_EXECUTE));
                }
                try {
                    Files.setPosixFilePermissions(p, perms);
                } catch (IOException notOurs) {
                    // made by the server's uid, and opened up by it already
                }
            }
        }
    }
}
