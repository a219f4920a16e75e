package io.annexgate.web;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * The first thing the server does when asked to stop (SIGTERM, or its context closed otherwise),
 * before Spring's graceful shutdown closes Jetty's listeners and waits, up to
 * {@code annexgate.shutdown-grace}, for the requests in progress:
 * <ul>
 * <li>keeplocked long polls end at once ({@link KeeplockedPolls}); the retention times of their
 *     locks stay on disk and keep protecting the content;</li>
 * <li>connections keep their usual idle timeout. Jetty lowers it to one second on every connection
 *     when its listener closes, which would cut a transfer whose client pauses for a second; the
 *     grace is there to let transfers finish.</li>
 * </ul>
 */
@Component
final class ShutdownStart implements ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ShutdownStart.class);

    private final ApplicationContext context;
    private final KeeplockedPolls polls;

    ShutdownStart(ApplicationContext context, KeeplockedPolls polls) {
        this.context = context;
        this.polls = polls;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return; // the management server's context, closing with ours
        }
        keepIdleTimeouts();
        int ended = polls.endAll();
        log.info("stopping: no new connections; {} keeplocked poll(s) ended, their retention kept on disk; "
                + "requests in progress get up to {} to finish", ended,
                context.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
    }

    private void keepIdleTimeouts() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() instanceof JettyWebServer jetty) {
            for (Connector connector : jetty.getServer().getConnectors()) {
                if (connector instanceof AbstractConnector c) {
                    c.setShutdownIdleTimeout(c.getIdleTimeout());
                }
            }
        }
    }
}
