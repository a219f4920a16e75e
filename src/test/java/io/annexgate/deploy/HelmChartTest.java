package io.annexgate.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.annexgate.deploy.Chart.FULLNAME;
import static io.annexgate.deploy.Chart.NAMESPACE;
import static io.annexgate.deploy.Chart.list;
import static io.annexgate.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lints the chart with Helm's strict linter and asserts on the manifests it renders for several values files. */
class HelmChartTest {

    @Test
    void passesStrictLint() {
        LintResult result = new Helm(Chart.DIR).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-values.yaml", "users-secret-values.yaml", "tls-values.yaml",
            "directories-ingress-values.yaml", "monitoring-values.yaml"})
    void everyCiValuesFileRendersAHardenedServer(String valuesFile) {
        Chart chart = Chart.render(valuesFile);

        assertThat(chart.docs()).allSatisfy(doc -> {
            assertThat(map(doc, "metadata").get("namespace")).as("namespace of %s", doc.get("kind")).isEqualTo(NAMESPACE);
            assertThat(map(doc, "metadata", "labels")).containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
        });
        assertThat(chart.kinds()).contains("StatefulSet", "ServiceAccount", "PodDisruptionBudget");

        Map<String, Object> pod = chart.podSpec();
        assertThat(map(pod, "securityContext"))
                .containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001)
                .containsEntry("fsGroup", 10001);
        assertThat(pod).containsEntry("enableServiceLinks", false).containsEntry("automountServiceAccountToken", false);

        Map<String, Object> container = chart.container();
        Map<String, Object> sc = map(container, "securityContext");
        assertThat(sc).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("runAsNonRoot", true);
        assertThat(Chart.<String>list(map(sc, "capabilities"), "drop")).containsExactly("ALL");

        // With a read-only root filesystem, everything the server and git write to must be a volume.
        Map<String, String> env = chart.envValues();
        Map<String, String> mounts = volumeMounts(container);
        assertThat(mounts).containsKeys("/tmp", env.get("HOME"), container.get("workingDir").toString());
        assertThat(mounts.get("/tmp")).isEqualTo("tmp");
        assertThat(mounts.get(env.get("HOME"))).isEqualTo("home");
        assertThat(mounts.get(container.get("workingDir").toString())).isEqualTo("data");
        assertThat(env).containsEntry("GIT_CONFIG_KEY_0", "safe.directory").containsEntry("GIT_CONFIG_VALUE_0", "*");
        assertThat(Integer.parseInt(env.get("GIT_CONFIG_COUNT"))).isEqualTo(
                env.keySet().stream().filter(k -> k.startsWith("GIT_CONFIG_KEY_")).count());

        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertThat(env.get("JDK_JAVA_OPTIONS")).containsPattern("-XX:MaxRAMPercentage=\\d+");

        // The PodDisruptionBudget and the Services select the StatefulSet's pods.
        Map<String, Object> podLabels = map(chart.statefulSet(), "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(map(chart.get("PodDisruptionBudget", FULLNAME), "spec", "selector", "matchLabels"));
        assertThat(podLabels).containsAllEntriesOf(map(chart.get("Service", FULLNAME), "spec", "selector"));
        assertThat(podLabels).containsAllEntriesOf(map(chart.statefulSet(), "spec", "selector", "matchLabels"));
        assertThat(map(chart.statefulSet(), "spec").get("serviceName")).isEqualTo(FULLNAME + "-headless");
        assertThat(chart.find("Service", FULLNAME + "-headless")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-values.yaml", "tls-values.yaml", "monitoring-values.yaml"})
    void probesUseTheActuatorHealthGroupsOnTheManagementPort(String valuesFile) {
        Chart chart = Chart.render(valuesFile);
        Map<String, Object> container = chart.container();
        int managementPort = chart.containerPort("management");
        assertThat(chart.envValues()).containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort))
                .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");

        Map<String, String> expected = Map.of(
                "livenessProbe", "/actuator/health/liveness",
                "readinessProbe", "/actuator/health/readiness",
                "startupProbe", "/actuator/health/liveness");
        expected.forEach((probe, path) -> {
            Map<String, Object> get = map(container, probe, "httpGet");
            assertThat(get).as(probe).containsEntry("path", path).containsEntry("port", "management")
                    .containsEntry("scheme", "HTTP");
        });
        assertThat(map(container, "startupProbe")).containsKey("failureThreshold");
    }

    /** The chart's margin: seconds of the grace period kept back for committing journals and exiting. */
    static final int SHUTDOWN_MARGIN = 10;

    /**
     * How a render stops the pod: the grace period, the preStop sleep and the server's own grace
     * (seconds), checked to agree: grace = preStop + server grace + margin, with time for the server.
     */
    record Stopping(int grace, int preStop, int serverGrace) {
        static Stopping of(Chart chart) {
            int grace = (Integer) chart.podSpec().get("terminationGracePeriodSeconds");
            int preStop = 0;
            Object lifecycle = chart.container().get("lifecycle");
            if (lifecycle != null) {
                List<String> command = list(map(chart.container(), "lifecycle", "preStop", "exec"), "command");
                assertThat(command).hasSize(2).first().isEqualTo("sleep");
                preStop = Integer.parseInt(command.get(1));
            }
            String serverGrace = chart.envValues().get("ANNEXGATE_SHUTDOWNGRACE");
            assertThat(serverGrace).matches("[0-9]+s");
            Stopping stopping = new Stopping(grace, preStop, Integer.parseInt(serverGrace.replace("s", "")));
            assertThat(stopping.preStop + stopping.serverGrace + SHUTDOWN_MARGIN).as("%s", stopping).isEqualTo(grace);
            assertThat(stopping.serverGrace).as("%s", stopping).isPositive();
            return stopping;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-values.yaml", "users-secret-values.yaml", "tls-values.yaml",
            "directories-ingress-values.yaml", "monitoring-values.yaml"})
    void everyCiValuesFileStopsWithinOneGracePeriod(String valuesFile) {
        Stopping.of(Chart.render(valuesFile));
    }

    @Test
    void oneGracePeriodDrivesThePodThePreStopSleepAndTheServer() {
        assertThat(Stopping.of(Chart.render(null))).isEqualTo(new Stopping(120, 10, 100));
        assertThat(Stopping.of(Chart.render(null, "shutdown.gracePeriodSeconds", 600)))
                .isEqualTo(new Stopping(600, 10, 580));
        assertThat(Stopping.of(Chart.render(null, "shutdown.gracePeriodSeconds", 45, "shutdown.preStopSeconds", 20)))
                .isEqualTo(new Stopping(45, 20, 15));
        assertThat(Stopping.of(Chart.render(null, "shutdown.gracePeriodSeconds", 21)))
                .as("the smallest grace period the schema accepts").isEqualTo(new Stopping(21, 10, 1));
        Chart noPreStop = Chart.render(null, "shutdown.preStopSeconds", 0);
        assertThat(noPreStop.container()).doesNotContainKey("lifecycle");
        assertThat(Stopping.of(noPreStop)).isEqualTo(new Stopping(120, 0, 110));
    }

    @Test
    void theDeprecatedTerminationGracePeriodSecondsStillDrivesIt() {
        assertThat(Stopping.of(Chart.render(null, "terminationGracePeriodSeconds", 300)))
                .isEqualTo(new Stopping(300, 10, 280));
        assertThat(Stopping.of(Chart.render(null, "terminationGracePeriodSeconds", 300, "shutdown.gracePeriodSeconds", 60)))
                .as("an explicit old value wins over the new default").isEqualTo(new Stopping(300, 10, 280));
        var install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun()
                .set("terminationGracePeriodSeconds", 300);
        assertThat(install.call().getOutput()).contains("DEPRECATED: terminationGracePeriodSeconds is now shutdown.gracePeriodSeconds");
        assertThat(notes(null)).doesNotContain("DEPRECATED");
    }

    @Test
    void everyValueNameIsCamelCaseBesidesTheDeprecatedOnes() throws Exception {
        JsonNode schema = JsonMapper.builder().build().readTree(Files.readString(Chart.DIR.resolve("values.schema.json")));
        List<String> names = new ArrayList<>();
        List<String> deprecated = new ArrayList<>();
        valueNames(schema, "", names, deprecated);
        assertThat(names).isNotEmpty().allSatisfy(name ->
                assertThat(name.substring(name.lastIndexOf('.') + 1)).as(name).matches("[a-z][a-zA-Z0-9]*")
                        .satisfies(last -> assertThat(last.equals(last.toLowerCase()) && last.length() > 8
                                && !SINGLE_WORDS.contains(last)).as("%s looks like words run together", name).isFalse()));
        assertThat(deprecated).containsExactlyInAnyOrder("server.lockedfiles", "server.proxyconnections",
                "server.clusterjobs", "terminationGracePeriodSeconds");
    }

    /** The value names that are one long lower-case word: a word, or git-annex's own option name (wideopen). */
    private static final List<String> SINGLE_WORDS = List.of("repository", "annotations", "persistence", "tolerations",
            "permissions", "readiness", "resources", "dashboard", "namespace", "wideopen");

    /** The value names the schema declares (its properties, not the keys of free-form maps such as labels). */
    private static void valueNames(JsonNode schema, String prefix, List<String> names, List<String> deprecated) {
        for (var property : schema.path("properties").properties()) {
            String name = prefix + property.getKey();
            if (property.getValue().path("description").asString("").startsWith("Deprecated")) {
                deprecated.add(name);
                continue;
            }
            names.add(name);
            valueNames(property.getValue(), name + ".", names, deprecated);
            valueNames(property.getValue().path("items"), name + "[].", names, deprecated);
        }
    }

    @Test
    void theServerValuesUnderTheirOldNamesStillWork() {
        Chart old = Chart.render(null, "server.lockedfiles", 300, "server.proxyconnections", 0, "server.clusterjobs", 3,
                "server.lockedFiles", 50);
        assertThat(old.envValues()).as("an explicit old value wins over the new one")
                .containsEntry("ANNEXGATE_LOCKEDFILES", "300")
                .containsEntry("ANNEXGATE_PROXYCONNECTIONS", "0")
                .containsEntry("ANNEXGATE_CLUSTERJOBS", "3");
        assertThat(Chart.render(null, "server.lockedFiles", 50, "server.proxyConnections", 2, "server.clusterJobs", 4)
                .envValues()).containsEntry("ANNEXGATE_LOCKEDFILES", "50")
                .containsEntry("ANNEXGATE_PROXYCONNECTIONS", "2")
                .containsEntry("ANNEXGATE_CLUSTERJOBS", "4");
        var install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun()
                .set("server.lockedfiles", 300).set("server.clusterjobs", 3);
        assertThat(install.call().getOutput()).contains("DEPRECATED: server.lockedfiles is now server.lockedFiles")
                .contains("DEPRECATED: server.clusterjobs is now server.clusterJobs")
                .doesNotContain("server.proxyconnections");
    }

    @Test
    void aGracePeriodWithNoTimeLeftForTheServerIsRefused() {
        assertThatThrownBy(() -> Chart.render(null, "shutdown.gracePeriodSeconds", 20))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("gracePeriodSeconds");
        assertThatThrownBy(() -> Chart.render(null, "terminationGracePeriodSeconds", 5))
                .hasMessageContaining("values don't meet the specifications of the schema");
        // a preStop delay longer than the schema's floor allows for: the chart's own check
        assertThatThrownBy(() -> Chart.render(null, "shutdown.gracePeriodSeconds", 40, "shutdown.preStopSeconds", 30))
                .hasMessageContaining("shutdown.gracePeriodSeconds (40) leaves the server no time for transfers")
                .hasMessageContaining("shutdown.preStopSeconds (30)");
    }

    @Nested
    class Defaults {
        final Chart chart = Chart.render(null);

        @Test
        void rendersOnlyTheCoreObjects() {
            assertThat(chart.kinds()).containsExactlyInAnyOrder(
                    "ServiceAccount", "Service", "Service", "Service", "StatefulSet", "PodDisruptionBudget");
        }

        @Test
        void servesEveryRepositoryBelowAPersistentVolume() {
            Map<String, String> env = chart.envValues();
            assertThat(env).containsEntry("ANNEXGATE_DIRECTORIES", "/data/repos")
                    .containsEntry("ANNEXGATE_PORT", "9417")
                    .containsEntry("ANNEXGATE_LOCKEDFILES", "100")
                    .containsEntry("ANNEXGATE_PROXYCONNECTIONS", "1")
                    .containsEntry("ANNEXGATE_PROXY_IDLETIMEOUT", "5m")
                    .containsEntry("ANNEXGATE_PROXY_SSHCOMMAND", "ssh")
                    .containsEntry("ANNEXGATE_CLUSTERJOBS", "1")
                    .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC"
                            + " -XX:ActiveProcessorCount=1 -XX:MaxDirectMemorySize=128m -XX:ErrorFile=/tmp/hs_err_pid%p.log"
                            + " -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp/annexgate-heap.hprof")
                    .doesNotContainKeys("ANNEXGATE_REPOSITORY", "ANNEXGATE_JOBS", "ANNEXGATE_AUTH_WIDEOPEN", "ANNEXGATE_PROXY_CAFILE",
                            "ANNEXGATE_AUTH_AUTHENV", "ANNEXGATE_TLS_CERTFILE");
            assertThat(chart.container()).containsEntry("workingDir", "/data/repos");
            assertThat(map(chart.statefulSet(), "spec")).containsEntry("replicas", 1);

            List<Map<String, Object>> claims = list(map(chart.statefulSet(), "spec"), "volumeClaimTemplates");
            assertThat(claims).hasSize(1);
            assertThat(map(claims.get(0), "metadata")).containsEntry("name", "data");
            assertThat(Chart.<String>list(map(claims.get(0), "spec"), "accessModes")).containsExactly("ReadWriteOnce");
            assertThat(map(claims.get(0), "spec", "resources", "requests")).containsEntry("storage", "50Gi");
            assertThat(map(claims.get(0), "spec")).doesNotContainKey("storageClassName");
        }

        @Test
        void exposesTheApiOn9417AndTheManagementPortOnlyOnTheMetricsService() {
            assertThat(chart.containerPort("http")).isEqualTo(9417);
            assertThat(chart.containerPort("management")).isEqualTo(9416);

            List<Map<String, Object>> apiPorts = list(map(chart.get("Service", FULLNAME), "spec"), "ports");
            assertThat(apiPorts).singleElement().satisfies(p -> assertThat(p)
                    .containsEntry("port", 9417).containsEntry("targetPort", "http").containsEntry("name", "http"));

            Map<String, Object> metrics = chart.get("Service", FULLNAME + "-metrics");
            assertThat(Chart.<Map<String, Object>>list(map(metrics, "spec"), "ports")).singleElement()
                    .satisfies(p -> assertThat(p).containsEntry("port", 9416).containsEntry("targetPort", "management"));
        }

        @Test
        void disruptionBudgetAllowsNodeDrainsOfTheSinglePod() {
            assertThat(map(chart.get("PodDisruptionBudget", FULLNAME), "spec"))
                    .containsEntry("maxUnavailable", 1).doesNotContainKey("minAvailable");
            Chart blocking = Chart.render(null, "podDisruptionBudget.minAvailable", 1);
            assertThat(map(blocking.get("PodDisruptionBudget", FULLNAME), "spec"))
                    .containsEntry("minAvailable", 1).doesNotContainKey("maxUnavailable");
        }

        @Test
        void requestsEqualLimitsForGuaranteedQos() {
            Map<String, Object> resources = map(chart.container(), "resources");
            assertThat(map(resources, "limits")).containsKeys("cpu", "memory");
            assertThat(map(resources, "requests")).isEqualTo(map(resources, "limits"));
        }

        @Test
        void theJvmChoosesItsCollectorAndKeepsDumpsOffTheRepositoriesVolume() {
            List<String> options = List.of(chart.envValues().get("JDK_JAVA_OPTIONS").split(" "));
            assertThat(options).containsOnlyOnce("-XX:+UseParallelGC")
                    .contains("-XX:+HeapDumpOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError")
                    .anyMatch(o -> o.matches("-XX:MaxDirectMemorySize=\\d+[kmg]"));
            Map<String, String> mounts = volumeMounts(chart.container());
            for (String flag : List.of("-XX:ErrorFile=", "-XX:HeapDumpPath=")) {
                String path = options.stream().filter(o -> o.startsWith(flag)).findFirst()
                        .orElseThrow(() -> new AssertionError(flag + " missing from " + options)).substring(flag.length());
                // On the /tmp emptyDir (writable with a read-only root, kept over a container restart).
                assertThat(path).startsWith("/tmp/");
                assertThat(mounts.get("/tmp")).isEqualTo("tmp");
                assertThat(path).doesNotStartWith((String) chart.container().get("workingDir"));
            }
            assertThat(Chart.<Map<String, Object>>list(chart.podSpec(), "volumes"))
                    .anySatisfy(v -> assertThat(v).containsEntry("name", "tmp").containsKey("emptyDir"));
        }

        @Test
        void theImageRunsTheJvmAsTheChartDoes() throws Exception {
            Matcher env = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(Path.of("Dockerfile")));
            assertThat(env.find()).as("JDK_JAVA_OPTIONS in the Dockerfile").isTrue();
            List<String> image = List.of(env.group(1).split(" "));
            List<String> chartOptions = List.of(chart.envValues().get("JDK_JAVA_OPTIONS").split(" "));
            // The same collector, direct memory limit and dump paths; the heap percentage and processor count are the chart's.
            assertThat(image).containsAll(chartOptions.stream()
                    .filter(o -> !o.startsWith("-XX:MaxRAMPercentage=") && !o.startsWith("-XX:ActiveProcessorCount=")).toList());
        }

        @ParameterizedTest
        @CsvSource({"1, 1", "2, 2", "500m, 1", "1500m, 2", "2000m, 2", "0.5, 1", "2.5, 3", "64, 64"})
        void theProcessorCountIsTheCpuLimitRoundedUp(String limit, int processors) {
            String options = Chart.render(null, "resources.limits.cpu", limit).envValues().get("JDK_JAVA_OPTIONS");
            assertThat(options).contains(" -XX:ActiveProcessorCount=" + processors + " ");
        }

        @Test
        void withoutACpuLimitTheJvmCountsTheNodesProcessorsAndAnExtraCollectorReplacesTheChosenOne() {
            assertThat(Chart.render(null, "resources.limits.cpu", null).envValues().get("JDK_JAVA_OPTIONS"))
                    .doesNotContain("ActiveProcessorCount");
            String options = Chart.render(null, "jvm.extraOptions", "-XX:+UseZGC -XX:ActiveProcessorCount=4")
                    .envValues().get("JDK_JAVA_OPTIONS");
            assertThat(options).doesNotContain("UseParallelGC").contains("-XX:+UseZGC")
                    .endsWith("-XX:ActiveProcessorCount=4");
            assertThat(Chart.render(null, "jvm.gc", "G1GC").envValues().get("JDK_JAVA_OPTIONS")).contains(" -XX:+UseG1GC ")
                    .doesNotContain("ParallelGC");
        }

        @Test
        void anIngressLetsKeeplockedAndUploadsThroughIngressNginx() {
            Map<String, Object> annotations = map(Chart.render(null, "ingress.enabled", true)
                    .get("Ingress", FULLNAME), "metadata", "annotations");
            assertThat(annotations)
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
            // An annotation given explicitly wins; without the nginx annotations none is added.
            assertThat(map(Chart.render(null, "ingress.enabled", true,
                    "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-read-timeout", "86400")
                    .get("Ingress", FULLNAME), "metadata", "annotations"))
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "86400")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
            assertThat(map(Chart.render(null, "ingress.enabled", true, "ingress.nginxAnnotations", false)
                    .get("Ingress", FULLNAME), "metadata")).doesNotContainKey("annotations");
        }

        @Test
        void withoutPersistenceTheRepositoriesAreOnAnEmptyDir() {
            Chart ephemeral = Chart.render(null, "persistence.enabled", false);
            assertThat(map(ephemeral.statefulSet(), "spec")).doesNotContainKey("volumeClaimTemplates");
            assertThat(map(volume(ephemeral.podSpec(), "data"), "emptyDir"))
                    .as("an unbounded emptyDir fills the node's disk").containsEntry("sizeLimit", "10Gi");
            Chart bigger = Chart.render(null, "persistence.enabled", false, "persistence.emptyDirSizeLimit", "200Gi");
            assertThat(map(volume(bigger.podSpec(), "data"), "emptyDir")).containsEntry("sizeLimit", "200Gi");
        }

        @Test
        void aChartBumpAloneDoesNotRestartThePod() {
            assertThat(map(chart.statefulSet(), "metadata", "labels")).containsKey("helm.sh/chart");
            assertThat(map(chart.statefulSet(), "spec", "template", "metadata", "labels"))
                    .as("the pod template changes, and the pod restarts, only with what the pod runs")
                    .doesNotContainKey("helm.sh/chart")
                    .containsAllEntriesOf(map(chart.statefulSet(), "spec", "selector", "matchLabels"));
        }

        @Test
        void theDefaultSshCommandIsInstalledInTheImage() throws Exception {
            String ssh = chart.envValues().get("ANNEXGATE_PROXY_SSHCOMMAND");
            Map<String, String> packageOf = Map.of("ssh", "openssh-client");
            assertThat(packageOf).as("the Debian package of the default %s", ssh).containsKey(ssh);
            String install = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ")
                    .lines().filter(l -> l.contains("apt-get install")).findFirst().orElseThrow();
            assertThat(install.split("\\s+")).contains(packageOf.get(ssh));
        }
    }

    @Nested
    class UsersFromAnExistingSecret {
        final Chart chart = Chart.render("users-secret-values.yaml");

        @Test
        void passwordsComeFromTheSecretIntoTheVariablesGitAnnexReads() {
            Map<String, Map<String, Object>> env = chart.env();
            assertThat(secretRef(env, "GIT_ANNEX_P2PHTTP_PASSWORD_alice"))
                    .isEqualTo(Map.of("name", "annexgate-users", "key", "alice-password"));
            assertThat(secretRef(env, "GIT_ANNEX_P2PHTTP_PASSWORD_bob"))
                    .isEqualTo(Map.of("name", "annexgate-users", "key", "bob-password"));
            assertThat(secretRef(env, "GIT_ANNEX_P2PHTTP_PASSWORD_carol"))
                    .as("passwordKey defaults to the user's name")
                    .isEqualTo(Map.of("name", "annexgate-users", "key", "carol"));
            assertThat(chart.kinds()).doesNotContain("Secret");
        }

        @Test
        void permissionsAreSetOnlyForRestrictedUsers() {
            Map<String, String> env = chart.envValues();
            assertThat(env).containsEntry("GIT_ANNEX_P2PHTTP_PERMISSIONS_bob", "readonly")
                    .containsEntry("GIT_ANNEX_P2PHTTP_PERMISSIONS_carol", "appendonly")
                    .doesNotContainKey("GIT_ANNEX_P2PHTTP_PERMISSIONS_alice");
        }

        @Test
        void authenticationOverPlainHttpIsTurnedOnExplicitly() {
            assertThat(chart.envValues()).containsEntry("ANNEXGATE_AUTH_AUTHENVHTTP", "true")
                    .containsEntry("ANNEXGATE_AUTH_UNAUTHREADONLY", "true")
                    .doesNotContainKeys("ANNEXGATE_AUTH_AUTHENV", "ANNEXGATE_AUTH_WIDEOPEN");
        }
    }

    @Test
    void aChartMadeSecretCarriesThePasswordToTheServer() {
        Chart chart = Chart.render(null,
                "auth.allowHttp", true,
                "auth.users[0].name", "alice",
                "auth.users[0].password", "s3cret-pw",
                "auth.users[0].permissions", "appendonly");

        Map<String, Object> ref = secretRef(chart.env(), "GIT_ANNEX_P2PHTTP_PASSWORD_alice");
        Map<String, Object> secret = chart.get("Secret", (String) ref.get("name"));
        String encoded = (String) map(secret, "data").get(ref.get("key"));
        assertThat(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)).isEqualTo("s3cret-pw");
        assertThat(chart.envValues()).containsEntry("GIT_ANNEX_P2PHTTP_PERMISSIONS_alice", "appendonly");
        // Changing a password rolls the pod.
        assertThat(map(chart.statefulSet(), "spec", "template", "metadata", "annotations")).containsKey("checksum/users");
        assertThat(chart.envValues().values()).noneMatch(v -> v.contains("s3cret-pw"));
    }

    @Test
    void usersWithoutHttpsOrAllowHttpAreRefused() {
        assertThatThrownBy(() -> Chart.render(null, "auth.users[0].name", "alice", "auth.users[0].password", "x"))
                .hasMessageContaining("only accepts passwords over HTTPS");
        assertThatThrownBy(() -> Chart.render(null, "auth.allowHttp", true, "auth.users[0].name", "alice"))
                .hasMessageContaining("user alice needs a password");
    }

    @Nested
    class Tls {
        final Chart chart = Chart.render("tls-values.yaml");

        @Test
        void certificateKeyAndChainComeFromTheSecret() {
            Map<String, String> env = chart.envValues();
            assertThat(env).containsEntry("ANNEXGATE_TLS_CERTFILE", "/etc/annexgate/tls/tls.crt")
                    .containsEntry("ANNEXGATE_TLS_PRIVATEKEYFILE", "/etc/annexgate/tls/tls.key")
                    .containsEntry("ANNEXGATE_TLS_CHAINFILES", "/etc/annexgate/tls/ca.crt")
                    .containsEntry("ANNEXGATE_AUTH_AUTHENV", "true")
                    .doesNotContainKey("ANNEXGATE_AUTH_AUTHENVHTTP");

            Map<String, Object> tlsVolume = volume(chart.podSpec(), "tls");
            assertThat(map(tlsVolume, "secret")).containsEntry("secretName", "annexgate-tls").containsEntry("defaultMode", 0440);
            Map<String, Object> mount = Chart.<Map<String, Object>>list(chart.container(), "volumeMounts").stream()
                    .filter(m -> "tls".equals(m.get("name"))).findFirst().orElseThrow();
            assertThat(mount).containsEntry("mountPath", "/etc/annexgate/tls").containsEntry("readOnly", true);
        }

        @Test
        void theApiPortIsNamedHttpsWhileProbesStayPlainHttpOnTheManagementPort() {
            assertThat(chart.containerPort("https")).isEqualTo(9417);
            assertThat(Chart.<Map<String, Object>>list(map(chart.get("Service", FULLNAME), "spec"), "ports"))
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("name", "https").containsEntry("targetPort", "https"));
            assertThat(map(chart.container(), "readinessProbe", "httpGet")).containsEntry("scheme", "HTTP");
        }

        @Test
        void servesTheOneRepositoryBelowTheVolume() {
            assertThat(chart.envValues()).containsEntry("ANNEXGATE_REPOSITORY", "/data/repos/main")
                    .doesNotContainKey("ANNEXGATE_DIRECTORIES");
        }

        @Test
        void needsASecretName() {
            assertThatThrownBy(() -> Chart.render(null, "tls.enabled", true)).hasMessageContaining("tls.secretName");
        }
    }

    @Nested
    class DirectoriesBehindAnIngress {
        final Chart chart = Chart.render("directories-ingress-values.yaml");

        @Test
        void serverSettingsReachTheEnvironment() {
            assertThat(chart.envValues()).containsEntry("ANNEXGATE_DIRECTORIES", "/data/repos")
                    .containsEntry("ANNEXGATE_JOBS", "4")
                    .containsEntry("ANNEXGATE_LOCKEDFILES", "500")
                    .containsEntry("ANNEXGATE_PROXYCONNECTIONS", "4")
                    .containsEntry("ANNEXGATE_CLUSTERJOBS", "2")
                    .containsEntry("ANNEXGATE_PROXY_CAFILE", "/etc/annexgate/ca/ca.pem")
                    .containsEntry("ANNEXGATE_AUTH_UNAUTHREADONLY", "true")
                    .containsEntry("ANNEXGATE_AUTH_UNAUTHNOLOCKING", "true")
                    .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
                            + " -XX:ActiveProcessorCount=1 -XX:MaxDirectMemorySize=128m -XX:ErrorFile=/tmp/hs_err_pid%p.log"
                            + " -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp/annexgate-heap.hprof -XX:+UseG1GC");
        }

        @Test
        void ingressRoutesGitAnnexToTheApiWithLongTimeoutsAndNoBuffering() {
            Map<String, Object> ingress = chart.get("Ingress", FULLNAME);
            assertThat(map(ingress, "metadata", "annotations"))
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "7200")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "7200")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
                    .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt")
                    .doesNotContainKey("nginx.ingress.kubernetes.io/backend-protocol");
            Map<String, Object> spec = map(ingress, "spec");
            assertThat(spec).containsEntry("ingressClassName", "nginx");
            Map<String, Object> rule = Chart.<Map<String, Object>>list(spec, "rules").get(0);
            assertThat(rule).containsEntry("host", "annex.example.org");
            Map<String, Object> path = Chart.<Map<String, Object>>list(map(rule, "http"), "paths").get(0);
            assertThat(path).containsEntry("path", "/git-annex").containsEntry("pathType", "Prefix");
            Map<String, Object> backend = map(path, "backend", "service");
            assertThat(backend).containsEntry("name", FULLNAME);
            // The backend port is a port of the API Service.
            String portName = (String) map(backend, "port").get("name");
            assertThat(Chart.<Map<String, Object>>list(map(chart.get("Service", FULLNAME), "spec"), "ports"))
                    .anySatisfy(p -> assertThat(p).containsEntry("name", portName));
            assertThat(Chart.<Map<String, Object>>list(spec, "tls")).singleElement()
                    .satisfies(t -> assertThat(t).containsEntry("secretName", "annex-example-org-tls"));
        }

        @Test
        void aLongerGracePeriodAndPreStopDelay() {
            assertThat(Stopping.of(chart)).isEqualTo(new Stopping(300, 15, 275));
        }

        @Test
        void volumeClaimUsesTheStorageClassSizeAndRetention() {
            Map<String, Object> spec = map(chart.statefulSet(), "spec");
            Map<String, Object> claim = Chart.<Map<String, Object>>list(spec, "volumeClaimTemplates").get(0);
            assertThat(map(claim, "spec")).containsEntry("storageClassName", "fast-ssd");
            assertThat(map(claim, "spec", "resources", "requests")).containsEntry("storage", "200Gi");
            assertThat(map(spec, "persistentVolumeClaimRetentionPolicy"))
                    .containsEntry("whenDeleted", "Retain").containsEntry("whenScaled", "Retain");
        }

        @Test
        void anExistingClaimReplacesTheClaimTemplate() {
            Chart withClaim = Chart.render("directories-ingress-values.yaml", "persistence.existingClaim", "annex-data");
            assertThat(map(withClaim.statefulSet(), "spec")).doesNotContainKey("volumeClaimTemplates");
            assertThat(map(volume(withClaim.podSpec(), "data"), "persistentVolumeClaim"))
                    .containsEntry("claimName", "annex-data");
        }

        @Test
        void httpsBackendsAreAnnouncedToIngressNginx() {
            Chart tlsBehindIngress = Chart.render("directories-ingress-values.yaml",
                    "tls.enabled", true, "tls.secretName", "pod-tls");
            assertThat(map(tlsBehindIngress.get("Ingress", FULLNAME), "metadata", "annotations"))
                    .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTPS");
        }
    }

    @Nested
    class Monitoring {
        final Chart chart = Chart.render("monitoring-values.yaml");

        @Test
        void serviceMonitorScrapesThePrometheusEndpointOfTheMetricsService() {
            Map<String, Object> sm = chart.get("ServiceMonitor", FULLNAME);
            assertThat(map(sm, "metadata", "labels")).containsEntry("release", "kube-prometheus-stack");
            Map<String, Object> metricsService = chart.get("Service", FULLNAME + "-metrics");
            assertThat(map(metricsService, "metadata", "labels"))
                    .containsAllEntriesOf(map(sm, "spec", "selector", "matchLabels"));
            assertThat(map(chart.get("Service", FULLNAME), "metadata", "labels"))
                    .as("the API Service is not scraped")
                    .doesNotContainEntry("app.kubernetes.io/component", "metrics");
            Map<String, Object> endpoint = Chart.<Map<String, Object>>list(map(sm, "spec"), "endpoints").get(0);
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("interval", "15s");
            assertThat(Chart.<Map<String, Object>>list(map(metricsService, "spec"), "ports"))
                    .anySatisfy(p -> assertThat(p).containsEntry("name", endpoint.get("port")));
        }

        @Test
        void prometheusRuleHasTheAlertsTheRunbookDescribes() {
            List<Map<String, Object>> rules = PrometheusRules.rules(chart.get("PrometheusRule", FULLNAME));
            assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrder(
                    "AnnexgateDown", "AnnexgateAbsent", "AnnexgateHighErrorRate", "AnnexgateLocksNearLimit",
                    "AnnexgateLocksRefused", "AnnexgateProxyConnectionFailures", "AnnexgateVerificationFailures",
                    "AnnexgateJournalNotCommitted", "AnnexgateRepositoriesLost", "AnnexgateDiskFillingUp",
                    "AnnexgateDiskNearlyFull", "AnnexgateDiskFull");
            assertThat(rules).allSatisfy(rule -> {
                assertThat(map(rule, "labels")).containsKey("severity").containsEntry("team", "storage");
                assertThat(map(rule, "annotations")).containsKeys("summary", "description");
                String runbook = (String) map(rule, "annotations").get("runbook_url");
                assertThat(runbook).isEqualTo("https://annexgate.example/docs/kubernetes.md#"
                        + rule.get("alert").toString().toLowerCase());
                String expr = (String) rule.get("expr");
                assertThat(expr).contains("namespace=\"annex\"").contains("service=\"" + FULLNAME + "-metrics\"");
                assertThat(Metrics.namesIn(expr)).isSubsetOf(Metrics.EXPORTED);
            });
            assertThat(PrometheusRules.expr(rules, "AnnexgateLocksNearLimit"))
                    .as("the limit is per repository: the fullest one's ratio, not held over the summed limits")
                    .contains("annexgate_locks_held_max_ratio").doesNotContain("annexgate_lockedfiles_limit").endsWith("> 0.9");
            assertThat(PrometheusRules.expr(rules, "AnnexgateAbsent")).startsWith("absent(up{");
            assertThat(PrometheusRules.expr(rules, "AnnexgateRepositoriesLost"))
                    .contains("annexgate_repositories_served").contains("== 0").contains("max_over_time(");
            assertThat(PrometheusRules.expr(rules, "AnnexgateDiskFillingUp")).contains("predict_linear(annexgate_disk_free_bytes");
            assertThat(PrometheusRules.expr(rules, "AnnexgateHighErrorRate")).contains("status=~\"5..\"");
            assertThat(PrometheusRules.expr(rules, "AnnexgateProxyConnectionFailures")).contains("annexgate_proxy_connections_failed_total");
            assertThat(PrometheusRules.expr(rules, "AnnexgateVerificationFailures")).contains("annexgate_verification_failures_total");
            assertThat(PrometheusRules.expr(rules, "AnnexgateJournalNotCommitted")).contains("annexgate_journal_commit_failures_total");
            assertThat(PrometheusRules.expr(rules, "AnnexgateDiskNearlyFull")).contains("annexgate_disk_free_bytes");
        }

        @Test
        void grafanaDashboardIsShippedForTheSidecar() throws Exception {
            Map<String, Object> cm = chart.get("ConfigMap", FULLNAME + "-dashboard");
            assertThat(map(cm, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
            assertThat(map(cm, "metadata", "annotations")).containsEntry("grafana_folder", "Annexgate");
            String json = (String) map(cm, "data").get("annexgate.json");
            assertThat(Dashboard.parse(json)).isEqualTo(Dashboard.parse(Dashboard.file()));
        }

        @Test
        void noPrometheusRuleWithoutTheMetricsServiceItsSeriesComeThrough() {
            Chart off = Chart.render("monitoring-values.yaml", "metrics.enabled", false, "metrics.serviceMonitor.enabled", false);
            assertThat(off.kinds()).doesNotContain("PrometheusRule", "ServiceMonitor");
            assertThat(chart.kinds()).contains("PrometheusRule");
        }

        @Test
        void lockedfilesLimitReachesTheServer() {
            assertThat(chart.envValues()).containsEntry("ANNEXGATE_LOCKEDFILES", "200")
                    .containsEntry("ANNEXGATE_AUTH_WIDEOPEN", "true");
        }
    }

    @Test
    void notesTellHowToReachTheServerAndWarnAboutMissingAccess() {
        String defaults = notes(null);
        assertThat(defaults).contains("port-forward svc/" + FULLNAME + " 9417:9417")
                .contains("/actuator/health/readiness")
                .contains("WARNING: no access is configured");
        String ingress = notes("directories-ingress-values.yaml");
        assertThat(ingress).contains("annex+https://annex.example.org/git-annex/")
                .doesNotContain("WARNING");
        assertThat(notes("monitoring-values.yaml")).contains("WARNING: auth.wideopen");
    }

    /** NOTES.txt as `helm install --dry-run` prints it, without a cluster. */
    static String notes(String ciValuesFile) {
        var install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun();
        if (ciValuesFile != null) {
            install = install.withValuesFile(Chart.DIR.resolve("ci").resolve(ciValuesFile));
        }
        String output = install.call().getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("replicaCount", 3),
                Arguments.of("server.mode", "cluster"),
                Arguments.of("server.port", 70000),
                Arguments.of("server.lockedFiles", 0),
                Arguments.of("server.lockedfiles", 0),
                Arguments.of("server.proxyConnections", -1),
                Arguments.of("server.proxyIdleTimeout", "five minutes"),
                Arguments.of("server.proxyCaFile", "relative/ca.pem"),
                Arguments.of("auth.users[0].name", "al-ice"),
                Arguments.of("auth.users[0].permissions", "admin"),
                Arguments.of("jvm.maxRAMPercentage", 120),
                Arguments.of("jvm.gc", "CMS"),
                Arguments.of("jvm.maxDirectMemorySize", "128Mi"),
                Arguments.of("service.type", "ExternalName"),
                Arguments.of("metrics.prometheusRule.errorRatio", 5),
                Arguments.of("shutdown.gracePeriodSeconds", 15),
                Arguments.of("shutdown.preStopSeconds", -1),
                Arguments.of("replicas", 2));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void schemaRejectsABadValue(String key, Object value) {
        Object[] sets = key.startsWith("auth.users[0].") && !key.endsWith(".name")
                ? new Object[] {"auth.allowHttp", true, "auth.users[0].name", "alice", "auth.users[0].password", "pw", key, value}
                : new Object[] {"auth.allowHttp", true, key, value};
        assertThatThrownBy(() -> Chart.render(null, sets))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    static Map<String, Object> secretRef(Map<String, Map<String, Object>> env, String name) {
        assertThat(env).containsKey(name);
        assertThat(env.get(name)).doesNotContainKey("value");
        return map(env.get(name), "valueFrom", "secretKeyRef");
    }

    static Map<String, String> volumeMounts(Map<String, Object> container) {
        Map<String, String> mounts = new java.util.HashMap<>();
        for (Map<String, Object> m : Chart.<Map<String, Object>>list(container, "volumeMounts")) {
            mounts.put((String) m.get("mountPath"), (String) m.get("name"));
        }
        return mounts;
    }

    static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
        return Chart.<Map<String, Object>>list(podSpec, "volumes").stream()
                .filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
