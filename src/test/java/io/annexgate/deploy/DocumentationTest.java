package io.annexgate.deploy;

import io.annexgate.protocol.Endpoint;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the runbook, the chart's README and the dashboard in step with the chart and the server's metrics. */
class DocumentationTest {

    static final Path KUBERNETES_DOC = Path.of("docs", "kubernetes.md");
    static final Path CHART_README = Chart.DIR.resolve("README.md");

    @Test
    void runbookDocumentsEveryMetric() throws IOException {
        String doc = Files.readString(KUBERNETES_DOC);
        assertThat(Metrics.ANNEXGATE).allSatisfy(metric -> assertThat(doc).contains("| `" + metric + "` |"));
    }

    @Test
    void runbookHasASectionForEveryAlert() throws IOException {
        String doc = Files.readString(KUBERNETES_DOC);
        Chart chart = Chart.render("monitoring-values.yaml");
        List<Map<String, Object>> rules = PrometheusRules.rules(chart.get("PrometheusRule", Chart.FULLNAME));
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            String alert = (String) rule.get("alert");
            assertThat(doc).contains("\n### " + alert + "\n").contains("| " + alert + " |");
        });
    }

    @Test
    void dashboardShowsEveryAnnexgateMetricAndOnlyExportedSeries() throws IOException {
        JsonNode dashboard = Dashboard.parse(Dashboard.file());
        assertThat(dashboard.path("uid").asString()).isEqualTo("annexgate");
        List<String> exprs = Dashboard.expressions(dashboard);
        assertThat(exprs).isNotEmpty();
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            Set<String> names = Metrics.namesIn(expr);
            assertThat(names).as(expr).isNotEmpty().isSubsetOf(Metrics.EXPORTED);
            names.forEach(n -> used.add(n.replaceFirst("_(bucket|count|sum)$", "")));
        }
        assertThat(used).containsAll(Metrics.ANNEXGATE);
        // Queries follow the dashboard's data source, namespace and pod variables.
        Set<String> variables = new HashSet<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asString()));
        assertThat(variables).contains("datasource", "namespace", "pod");
        assertThat(exprs).allSatisfy(e -> assertThat(e).contains("namespace=\"$namespace\"").contains("pod=~\"$pod\""));
    }

    @Test
    void latencyQuantilesLeaveOutTheRequestsThatOutlastTheLastBucket() throws IOException {
        // keeplocked lasts as long as the lock is held, get and put as long as the body takes: past the
        // timer's last finite bucket (30 s), where a quantile can only say 30 s.
        String longRequests = String.join("|", Endpoint.KEEPLOCKED.label(), Endpoint.GET.label(),
                Endpoint.LEGACY_GET.label(), Endpoint.PUT.label());
        List<String> exprs = Dashboard.expressions(Dashboard.parse(Dashboard.file()));
        List<String> quantiles = exprs.stream()
                .filter(e -> e.contains("histogram_quantile") && e.contains("annexgate_requests_seconds_bucket")).toList();
        assertThat(quantiles).isNotEmpty()
                .allSatisfy(e -> assertThat(e).contains("endpoint!~\"" + longRequests + "\""));
        // They get a panel of their own, from the sum and count, which are not capped.
        assertThat(exprs).anySatisfy(e -> assertThat(e)
                .contains("annexgate_requests_seconds_sum{").contains("annexgate_requests_seconds_count{")
                .contains("endpoint=~\"" + longRequests + "\"").doesNotContain("histogram_quantile"));
    }

    @Test
    void runbookSaysWhatIngressNginxNeedsBeyondTheChartsAnnotations() throws IOException {
        String doc = Files.readString(KUBERNETES_DOC);
        int start = doc.indexOf("\n## Long requests through ingress-nginx\n");
        assertThat(start).isNotNegative();
        String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
        Map<String, Object> annotations = Chart.map(Chart.render(null, "ingress.enabled", true)
                .get("Ingress", Chart.FULLNAME), "metadata", "annotations");
        assertThat(annotations).isNotEmpty();
        assertThat(annotations.keySet()).allSatisfy(a -> assertThat(section).contains("| `" + a + "` |"));
        // What no annotation sets, and why a keeplocked cut anyway loses no data.
        assertThat(section).contains("**`client-body-timeout`**").contains("**`worker-shutdown-timeout`**")
                .contains("`.rtm`").contains("10 minutes");
    }

    @Test
    void chartReadmeDescribesEveryValue() throws IOException {
        Map<String, Object> values = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Chart.DIR.resolve("values.yaml")));
        Set<String> documented = new TreeSet<>();
        Matcher rows = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|").matcher(Files.readString(CHART_README));
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        List<String> leaves = new ArrayList<>();
        collectLeaves("", values, leaves);
        assertThat(leaves).isNotEmpty().allSatisfy(leaf -> assertThat(documented)
                .as("README row for %s", leaf)
                .anyMatch(row -> leaf.equals(row) || leaf.startsWith(row + ".")));
        assertThat(documented).allSatisfy(row -> assertThat(leaves)
                .as("values.yaml key for README row %s", row)
                .anyMatch(leaf -> leaf.equals(row) || leaf.startsWith(row + ".")));
    }

    @SuppressWarnings("unchecked")
    static void collectLeaves(String prefix, Object value, List<String> leaves) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            ((Map<String, Object>) map).forEach((k, v) -> collectLeaves(prefix.isEmpty() ? k : prefix + "." + k, v, leaves));
        } else {
            leaves.add(prefix);
        }
    }
}
