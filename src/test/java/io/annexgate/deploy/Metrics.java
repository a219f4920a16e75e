package io.annexgate.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Prometheus series the server promises to export, as agreed with the server side. */
final class Metrics {

    /** Annexgate's own meters, by their Prometheus names. */
    static final Set<String> ANNEXGATE = Set.of(
            "annexgate_requests_seconds",
            "annexgate_bytes_received_total",
            "annexgate_bytes_sent_total",
            "annexgate_transfers_in_flight",
            "annexgate_locks_held",
            "annexgate_lockedfiles_limit",
            "annexgate_locks_held_max_ratio",
            "annexgate_locks_refused_total",
            "annexgate_verification_failures_total",
            "annexgate_journal_commit_failures_total",
            "annexgate_disk_free_bytes",
            "annexgate_disk_total_bytes",
            "annexgate_repositories_served",
            "annexgate_repositories_refused",
            "annexgate_proxy_connections_idle",
            "annexgate_proxy_connections_active",
            "annexgate_proxy_connections_failed_total",
            "annexgate_proxy_connections_opened_total",
            "annexgate_proxy_connections_reused_total",
            "annexgate_proxy_connections_evicted_total");

    /** Every series name a query may use: the above (the histogram with its suffixes), Spring's JVM and Jetty meters, and Prometheus' up. */
    static final Set<String> EXPORTED = Stream.concat(
                    ANNEXGATE.stream().flatMap(name -> name.equals("annexgate_requests_seconds")
                            ? Stream.of(name + "_bucket", name + "_count", name + "_sum")
                            : Stream.of(name)),
                    Stream.of("up", "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jetty_connections_current_connections", "jetty_threads_current"))
            .collect(Collectors.toUnmodifiableSet());

    private static final Pattern SERIES = Pattern.compile(
            "(?<![\\w$])(up|annexgate_\\w+|jvm_\\w+|jetty_\\w+|http_server_requests_\\w+)(?=\\s*[{\\[)]|\\s*$|\\s)");

    /** Series names used in a PromQL expression. */
    static Set<String> namesIn(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = SERIES.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private Metrics() {
    }
}
