package io.annexgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Evaluates the chart's alerts with Prometheus' own rule unit tests ({@code promtool test rules}):
 * each alert fixed in issue 12 fires on the series that should page and stays silent on the others
 * (annexgate-rules.test.yaml). Skipped where promtool is not installed (Debian's {@code prometheus}
 * package has it; scripts/install-git-annex installs it).
 */
class PrometheusRuleUnitTest {

    static final String TESTS = "annexgate-rules.test.yaml";

    @TempDir
    Path tmp;

    @BeforeAll
    static void promtoolIsInstalled() {
        assumeTrue(promtoolRuns(), "promtool is not installed (Debian package prometheus)");
    }

    private static boolean promtoolRuns() {
        try {
            Process p = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The PrometheusRule's groups as a Prometheus rules file; without annotations when {@code annotations} is false. */
    static String rulesFile(boolean annotations) {
        Map<String, Object> rule = Chart.render("monitoring-values.yaml").get("PrometheusRule", Chart.FULLNAME);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> group : Chart.<Map<String, Object>>list(Chart.map(rule, "spec"), "groups")) {
            Map<String, Object> copy = new LinkedHashMap<>(group);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> r : Chart.<Map<String, Object>>list(group, "rules")) {
                Map<String, Object> plain = new LinkedHashMap<>(r);
                if (!annotations) {
                    plain.remove("annotations");
                }
                rules.add(plain);
            }
            copy.put("rules", rules);
            groups.add(copy);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(Map.of("groups", groups));
    }

    private static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    private static String unitTests() throws IOException {
        try (InputStream in = PrometheusRuleUnitTest.class.getResourceAsStream(TESTS)) {
            assertThat(in).as(TESTS).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theRenderedRulesAndTheirTemplatesAreValid() throws Exception {
        Files.writeString(tmp.resolve("rules.yaml"), rulesFile(true));
        assertThat(promtool(tmp, "check", "rules", "rules.yaml")).contains("SUCCESS");
    }

    @Test
    void eachAlertFiresOnTheSeriesThatShouldPageAndOnlyThere() throws Exception {
        Files.writeString(tmp.resolve("rules.yaml"), rulesFile(false));
        Files.writeString(tmp.resolve(TESTS), unitTests());
        assertThat(promtool(tmp, "test", "rules", TESTS)).contains("SUCCESS");
    }

    @Test
    void theTestsFeedOnlySeriesTheServerExports() throws IOException {
        Matcher series = Pattern.compile("series: '(\\w+)\\{").matcher(unitTests());
        TreeSet<String> names = new TreeSet<>();
        while (series.find()) {
            names.add(series.group(1));
        }
        assertThat(names).isNotEmpty().isSubsetOf(Metrics.EXPORTED);
    }
}
