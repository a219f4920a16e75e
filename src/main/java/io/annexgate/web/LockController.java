package io.annexgate.web;

import io.annexgate.config.AnnexgateProperties;
import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.metrics.AnnexgateMetrics;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.LockOutcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * lockcontent, and keeplocked: a long poll that holds the lock while the client's request body
 * stays open, on a virtual thread, until the client sends {@code {"unlock":true}} or the server
 * stops. A body line longer than {@code annexgate.keeplocked.max-line} is refused with 413 and the
 * lock released. A poll ended by the server's stop is answered at once, as any other; its lock stays
 * held until the stop ends and is then let go without its retention time, which stays on disk and
 * keeps protecting the content.
 */
@RestController
class LockController {

    /** The client announces {@code Keep-Alive: timeout=1200}; a kept lock may idle that long. */
    static final Duration KEEPLOCKED_IDLE = Duration.ofSeconds(1200);

    private final TargetGate gate;
    private final AnnexgateMetrics metrics;
    private final int maxLine;
    private final KeeplockedPolls polls;

    LockController(TargetGate gate, AnnexgateMetrics metrics, AnnexgateProperties properties, KeeplockedPolls polls) {
        this.gate = gate;
        this.metrics = metrics;
        this.maxLine = properties.keeplocked().maxLineBytes();
        this.polls = polls;
    }

    @PostMapping("/git-annex/{uuid}/{version}/lockcontent")
    void lockContent(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.LOCKCONTENT, version);
        RequestParameters params = call.params();
        Key key = params.key();
        params.clientUuid(true);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.LOCKCONTENT, request);
        switch (target.lockContent(key)) {
            case LockOutcome.Locked locked -> {
                ApiExchange.outcome(request, "locked");
                ApiResponses.json(response, JsonShapes.locked(locked.lockId()));
            }
            case LockOutcome.NotLocked notLocked -> {
                ApiExchange.outcome(request, "not_locked");
                ApiResponses.json(response, JsonShapes.notLocked());
            }
        }
    }

    @PostMapping("/git-annex/{uuid}/{version}/keeplocked")
    void keepLocked(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.KEEPLOCKED, version);
        RequestParameters params = call.params();
        LockId lockId = params.lockId();
        params.clientUuid(false);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.KEEPLOCKED, request);
        allowLongIdle(request);
        Optional<KeptLock> kept = target.keepLocked(lockId);
        InputStream body = request.getInputStream();
        switch (polls.await(() -> UnlockRequests.read(body, maxLine))) {
            case UnlockRequests.Ending.Unlock u -> {
                kept.ifPresent(KeptLock::unlock);
                ApiExchange.outcome(request, kept.isEmpty() ? "unknown_lock" : "unlocked");
                ApiResponses.json(response, JsonShapes.notLocked());
            }
            case UnlockRequests.Ending.Ended e -> {
                kept.ifPresent(KeptLock::abandon);
                ApiExchange.outcome(request, kept.isEmpty() ? "unknown_lock" : "abandoned");
                ApiResponses.json(response, JsonShapes.notLocked());
            }
            case UnlockRequests.Ending.LineTooLong tooLong -> {
                // not the protocol: the lock goes at once, as the reference drops it when the body fails
                kept.ifPresent(KeptLock::unlock);
                metrics.keeplockedLineTooLong();
                ApiExchange.outcome(request, "line_too_long");
                ApiResponses.text(response, 413, "keeplocked line longer than " + tooLong.limit() + " bytes");
                UnreadBody.afterRefusal(request, response);
            }
            case UnlockRequests.Ending.ServerStopping stopping -> {
                // held until the stop ends, when every lock is let go with its retention time kept
                ApiExchange.outcome(request, kept.isEmpty() ? "unknown_lock" : "shutdown");
                // the body is still being read by the poll's reader: no further request on this connection
                response.setHeader("Connection", "close");
                ApiResponses.json(response, JsonShapes.notLocked());
            }
        }
    }

    private static void allowLongIdle(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty != null) {
            jetty.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(KEEPLOCKED_IDLE.toMillis());
        }
    }
}
