package io.annexgate.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a failed start the way {@code git annex p2phttp} does: one line on standard error,
 * {@code annexgate: what is wrong (what to do)}, and the stack trace only with {@code --debug}
 * (or {@code logging.level.io.annexgate=DEBUG}). It stands in for Spring Boot's multi-line report,
 * whose logger is off (application.properties), for every analysed failure: ours and Spring's own
 * (a port in use, a property that does not convert).
 */
public final class OneLineFailureReporter implements FailureAnalysisReporter {

    private static final Logger log = LoggerFactory.getLogger(OneLineFailureReporter.class);

    @Override
    public void report(FailureAnalysis analysis) {
        if (log.isDebugEnabled() && analysis.getCause() != null) {
            StringWriter trace = new StringWriter();
            analysis.getCause().printStackTrace(new PrintWriter(trace));
            System.err.print(trace);
        }
        System.err.println(line(analysis));
        System.err.flush();
    }

    static String line(FailureAnalysis analysis) {
        StringBuilder line = new StringBuilder("annexgate: ").append(oneLine(analysis.getDescription()));
        String action = oneLine(analysis.getAction());
        if (!action.isEmpty()) {
            line.append(" (").append(action).append(')');
        }
        return line.toString();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
