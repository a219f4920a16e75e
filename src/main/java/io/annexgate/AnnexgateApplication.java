package io.annexgate;

import io.annexgate.config.P2pHttpArguments;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/** Annexgate: a server for git-annex's P2P protocol over HTTP. Takes git annex p2phttp's flags. */
@SpringBootApplication
public class AnnexgateApplication {

    public static void main(String[] args) {
        P2pHttpArguments.Parsed parsed;
        try {
            parsed = P2pHttpArguments.parse(args, version());
        } catch (IllegalArgumentException e) {
            System.err.println("annexgate: " + e.getMessage());
            System.exit(1);
            return;
        }
        switch (parsed) {
            case P2pHttpArguments.Parsed.Print print -> System.out.println(print.text());
            case P2pHttpArguments.Parsed.Run run -> {
                // a start that fails before logging is set up (a bad flag value) would also get
                // Spring Boot's multi-line report: OneLineFailureReporter says it in one line
                if (LoggerFactory.getLogger(LoggingFailureAnalysisReporter.class)
                        instanceof ch.qos.logback.classic.Logger logback) {
                    logback.setLevel(ch.qos.logback.classic.Level.OFF);
                }
                ConfigurableApplicationContext context;
                try {
                    context = SpringApplication.run(AnnexgateApplication.class, run.springArguments().toArray(String[]::new));
                } catch (RuntimeException failed) {
                    // already reported: one line for a failure Spring Boot's analysis explains
                    // (OneLineFailureReporter), the stack trace for any other
                    System.exit(1);
                    return;
                }
                // a training start for the launcher's ahead-of-time cache: start fully, then stop
                if (context.getEnvironment().getProperty("annexgate.exit-when-started", Boolean.class, false)) {
                    context.close();
                } else {
                    exitZeroOnTerm(context);
                }
            }
        }
    }

    /**
     * SIGTERM stops the server as the JVM's own handling would (Spring's graceful shutdown, then the
     * journals committed and the locks let go), but then exits with 0 rather than 143: a stop that
     * was asked for and carried out is a success, for systemd as for a container runtime. SIGINT
     * and SIGHUP keep the JVM's handling.
     */
    private static void exitZeroOnTerm(ConfigurableApplicationContext context) {
        try {
            Signal.handle(new Signal("TERM"), signal -> {
                int status = 0;
                try {
                    context.close();
                } catch (RuntimeException e) {
                    System.err.println("annexgate: stopping failed: " + e);
                    status = 1;
                }
                System.exit(status);
            });
        } catch (IllegalArgumentException e) {
            // signals reserved (-Xrs) or taken: the JVM's handling stays, exiting with 143
        }
    }

    static String version() {
        try (InputStream in = AnnexgateApplication.class.getResourceAsStream("/application.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("info.app.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
