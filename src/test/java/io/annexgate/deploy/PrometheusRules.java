package io.annexgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.annexgate.deploy.Chart.list;
import static io.annexgate.deploy.Chart.map;

final class PrometheusRules {

    static List<Map<String, Object>> rules(Map<String, Object> prometheusRule) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : Chart.<Map<String, Object>>list(map(prometheusRule, "spec"), "groups")) {
            rules.addAll(list(group, "rules"));
        }
        return rules;
    }

    static String expr(List<Map<String, Object>> rules, String alert) {
        return rules.stream().filter(r -> alert.equals(r.get("alert"))).map(r -> r.get("expr").toString().strip())
                .findFirst().orElseThrow(() -> new AssertionError("no alert " + alert));
    }

    private PrometheusRules() {
    }
}
