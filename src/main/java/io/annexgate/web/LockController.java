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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * lockcontent, and keeplocked: a long poll that holds the lock while the client's request body
 * stays open, on a virtual thread, until the client sends {@code {"unlock":true}}. When the lock
 * stops being this request's to keep first (a proxied remote's lock went with its connection, a
 * retry of the keeplocked took it over) or the server stops, the answer {@code {"locked":false}} goes
 * out at once, before the body ends. A body line longer than {@code annexgate.keeplocked.max-line}
 * is refused with 413 and the lock released. A lock whose poll the server's stop ended stays held
 * until the stop ends and is then let go without its retention time, which stays on disk and keeps
 * protecting the content.
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
        long idleBefore = allowIdle(request, KEEPLOCKED_IDLE.toMillis());
        Optional<KeptLock> kept = target.keepLocked(lockId);
        InputStream body = request.getInputStream();
        CompletionStage<Void> lockEnded = kept.map(KeptLock::ended).orElse(new CompletableFuture<>());
        KeeplockedPolls.Poll poll = polls.await(() -> UnlockRequests.read(body, maxLine), lockEnded);
        switch (poll.ending()) {
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
            case UnlockRequests.Ending.LockEnded ended -> {
                // the lock is no longer this request's to keep (gone underneath, or a retry took it
                // over): say so now, while the client may still be sending, and close the connection
                // once its body ends
                ApiExchange.outcome(request, "ended");
                response.setHeader("Connection", "close");
                ApiResponses.json(response, JsonShapes.notLocked());
                response.flushBuffer();
                allowIdle(request, idleBefore);
                poll.body().join();
            }
        }
    }

    /** Sets the connection's idle timeout, answering the one it had. */
    private static long allowIdle(HttpServletRequest request, long millis) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null) {
            return millis;
        }
        var endPoint = jetty.getConnectionMetaData().getConnection().getEndPoint();
        long before = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(millis);
        return before;
    }
}
