package io.annexgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates the command line of {@code git annex p2phttp} into Spring Boot arguments
 * ({@code --annexgate.*=...}), so the launcher takes the same flags as the reference.
 * Spring-style {@code --name=value} arguments for annexgate, server, management, spring and
 * logging settings pass through unchanged.
 */
public final class P2pHttpArguments {

    /** Flags that take a value, and the property each sets. */
    private static final Map<String, String> VALUED = Map.ofEntries(
            Map.entry("port", "annexgate.port"),
            Map.entry("bind", "annexgate.bind"),
            Map.entry("socket", "annexgate.socket"),
            Map.entry("jobs", "annexgate.jobs"),
            Map.entry("cpus", "annexgate.cpus"),
            Map.entry("lockedfiles", "annexgate.lockedfiles"),
            Map.entry("proxyconnections", "annexgate.proxyconnections"),
            Map.entry("clusterjobs", "annexgate.clusterjobs"),
            Map.entry("certfile", "annexgate.tls.certfile"),
            Map.entry("privatekeyfile", "annexgate.tls.privatekeyfile"),
            Map.entry("management-port", "management.server.port"));

    /** Flags that may be given more than once. */
    private static final Map<String, String> REPEATED = Map.of(
            "directory", "annexgate.directories",
            "chainfile", "annexgate.tls.chainfiles");

    private static final Map<String, String> SWITCHES = Map.of(
            "wideopen", "annexgate.auth.wideopen",
            "unauth-readonly", "annexgate.auth.unauth-readonly",
            "unauth-appendonly", "annexgate.auth.unauth-appendonly",
            "unauth-nolocking", "annexgate.auth.unauth-nolocking",
            "authenv", "annexgate.auth.authenv",
            "authenv-http", "annexgate.auth.authenv-http");

    private static final List<String> PASS_THROUGH = List.of("annexgate.", "server.", "management.", "spring.", "logging.");

    /** The outcome of reading the command line. */
    public sealed interface Parsed {
        /** Start the server with these Spring arguments. */
        record Run(List<String> springArguments) implements Parsed { }

        /** Print this and exit with status 0. */
        record Print(String text) implements Parsed { }
    }

    private P2pHttpArguments() {
    }

    /** @throws IllegalArgumentException for an unknown flag or a missing value, with a message for the user */
    public static Parsed parse(String[] args, String version) {
        List<String> out = new ArrayList<>();
        Map<String, List<String>> repeated = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--version")) {
                return new Parsed.Print("annexgate " + version);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed.Print(usage());
            }
            if (arg.startsWith("-J")) {
                String value = arg.length() > 2 ? arg.substring(2) : next(args, ++i, "-J");
                out.add("--annexgate.jobs=" + value);
                continue;
            }
            if (arg.equals("-c") || arg.equals("--debug") || arg.startsWith("--debugfilter")) {
                if (arg.equals("-c")) {
                    next(args, ++i, "-c");
                } else {
                    out.add("--logging.level.io.annexgate=DEBUG");
                }
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (PASS_THROUGH.stream().anyMatch(name::startsWith)) {
                out.add(arg);
                continue;
            }
            if (SWITCHES.containsKey(name)) {
                if (eq >= 0) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                out.add("--" + SWITCHES.get(name) + "=true");
            } else if (VALUED.containsKey(name) || REPEATED.containsKey(name)) {
                String value = eq >= 0 ? body.substring(eq + 1) : next(args, ++i, "--" + name);
                if (VALUED.containsKey(name)) {
                    out.add("--" + VALUED.get(name) + "=" + value);
                } else {
                    repeated.computeIfAbsent(REPEATED.get(name), k -> new ArrayList<>()).add(value);
                }
            } else {
                throw new IllegalArgumentException("unknown option --" + name + " (annexgate --help lists the options)");
            }
        }
        repeated.forEach((property, values) -> {
            for (int n = 0; n < values.size(); n++) {
                out.add("--" + property + "[" + n + "]=" + values.get(n));
            }
        });
        return new Parsed.Run(out);
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    static String usage() {
        return """
                Usage: annexgate [OPTIONS]   (run in a git-annex repository, or with --directory)
                  --port=N                 port to listen on (default 9417)
                  --bind=ADDRESS           address to listen on (default: all)
                  --socket=PATH            listen on a unix domain socket instead of TCP
                  --directory=PATH         serve every git-annex repository below PATH (repeatable)
                  --jobs=N | -JN | --jobs=cpus   concurrent repository work
                  --cpus=N                 CPU cores to use
                  --lockedfiles=N          content locks that may be held at once (default 100)
                  --proxyconnections=N     idle proxy connections to keep (default 1)
                  --clusterjobs=N          concurrent node accesses per cluster request (default 1)
                  --wideopen               anyone may read, write and remove
                  --unauth-readonly        anonymous users may read
                  --unauth-appendonly      anonymous users may read and store
                  --unauth-nolocking       anonymous users may not lock content
                  --authenv                users from GIT_ANNEX_P2PHTTP_PASSWORD_<user> (HTTPS only)
                  --authenv-http           the same, also over plain HTTP
                  --certfile=FILE --privatekeyfile=FILE [--chainfile=FILE]   HTTPS from PEM files
                  --management-port=N      port of /actuator (health, prometheus; default 9416)
                  --version                print the version and exit
                Any Spring setting may follow as --name=value (annexgate.*, server.*, management.*, logging.*).""";
    }
}
