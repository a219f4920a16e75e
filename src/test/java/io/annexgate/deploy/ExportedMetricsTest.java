package io.annexgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexgate.testing.AnnexRepo;
import io.annexgate.testing.AnnexgateServer;
import io.annexgate.testing.Keys;
import io.annexgate.testing.RawApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series the Grafana dashboard and the alerts use is on {@code /actuator/prometheus} of a
 * running server after real traffic: a put, a get, a lock, a bad upload and a refused request.
 */
class ExportedMetricsTest {

    /** The proxy pool's series appear only with proxied traffic: ProxiedRemoteTest finds them after some. */
    static final Set<String> NOT_YET = Set.of(
            "annexgate_proxy_connections_idle", "annexgate_proxy_connections_active",
            "annexgate_proxy_connections_failed_total", "annexgate_proxy_connections_opened_total",
            "annexgate_proxy_connections_reused_total", "annexgate_proxy_connections_evicted_total",
            "up");

    @TempDir
    Path tmp;

    static Set<String> usedByDashboardAndAlerts() throws Exception {
        Set<String> used = new TreeSet<>();
        for (String expr : Dashboard.expressions(Dashboard.parse(Dashboard.file()))) {
            used.addAll(Metrics.namesIn(expr));
        }
        Chart chart = Chart.render("monitoring-values.yaml");
        for (Map<String, Object> rule : PrometheusRules.rules(chart.get("PrometheusRule", Chart.FULLNAME))) {
            used.addAll(Metrics.namesIn(String.valueOf(rule.get("expr"))));
        }
        used.removeAll(NOT_YET);
        return used;
    }

    @Test
    void everySeriesTheDashboardAndAlertsUseIsExportedAfterRealTraffic() throws Exception {
        AnnexRepo served = AnnexRepo.init(tmp, "served");
        String hello = served.add("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        try (AnnexgateServer server = AnnexgateServer.serve(served.dir(), "--unauth-appendonly")) {
            RawApi api = new RawApi(server, served.uuid());
            byte[] content = "metered\n".getBytes(StandardCharsets.UTF_8);
            assertThat(api.put("v4", Keys.sha256e(content, ".txt"), content, content.length).status()).isEqualTo(200);
            assertThat(api.put("v4", Keys.sha256e(content, ".bin"), "wrong!!!".getBytes(StandardCharsets.UTF_8), 8).text())
                    .contains("\"stored\":false");
            assertThat(api.get("v4", hello).status()).isEqualTo(200);
            assertThat(api.post("v4", "lockcontent", "key", hello, "clientuuid", RawApi.CLIENT).text()).contains("\"locked\":true");
            assertThat(api.post("v4", "remove", "key", hello, "clientuuid", RawApi.CLIENT).status()).isEqualTo(403);

            String exposition = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Set<String> exported = exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));

            assertThat(exported).containsAll(usedByDashboardAndAlerts());
            assertThat(exposition).contains("annexgate_requests_seconds_count{application=\"annexgate\",endpoint=\"remove\",outcome=\"forbidden\",status=\"403\",version=\"v4\"}");
            assertThat(exposition).containsPattern("annexgate_verification_failures_total\\{[^}]*} 1\\.0");
            assertThat(exposition).containsPattern("annexgate_locks_held\\{[^}]*} 1\\.0");
            assertThat(exposition).containsPattern("annexgate_bytes_received_total\\{[^}]*} 16\\.0");
        }
    }
}
