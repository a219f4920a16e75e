package io.annexgate.web;

import io.annexgate.locking.LockRegistry.KeptLock;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.JsonShapes;
import io.annexgate.protocol.Key;
import io.annexgate.protocol.LockId;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.LockOutcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * lockcontent, and keeplocked: a long poll that holds the lock while the client's request body
 * stays open, on a virtual thread, until the client sends {@code {"unlock":true}}. When the lock
 * stops being this request's to keep first (a proxied remote's lock went with its connection, a
 * retry of the keeplocked took it over, shutdown), the answer {@code {"locked":false}} goes out at
 * once, before the body ends.
 */
@RestController
class LockController {

    /** The client announces {@code Keep-Alive: timeout=1200}; a kept lock may idle that long. */
    static final Duration KEEPLOCKED_IDLE = Duration.ofSeconds(1200);

    private final TargetGate gate;

    LockController(TargetGate gate) {
        this.gate = gate;
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
        if (kept.isEmpty()) {
            awaitUnlock(request);
            ApiExchange.outcome(request, "unknown_lock");
            ApiResponses.json(response, JsonShapes.notLocked());
            return;
        }
        KeptLock lock = kept.get();
        CompletableFuture<Boolean> body = new CompletableFuture<>();
        Thread.ofVirtual().name("keeplocked-body").start(() -> {
            try {
                body.complete(awaitUnlock(request));
            } finally {
                body.complete(false);
            }
        });
        CompletableFuture<Void> ended = lock.ended().toCompletableFuture();
        CompletableFuture.anyOf(body, ended).join();
        if (body.isDone()) {
            boolean unlocked = body.join();
            if (unlocked) {
                lock.unlock();
            } else {
                lock.abandon();
            }
            ApiExchange.outcome(request, unlocked ? "unlocked" : "abandoned");
            ApiResponses.json(response, JsonShapes.notLocked());
            return;
        }
        // the lock is no longer this request's to keep (gone underneath, or a retry took it over):
        // say so now, while the client may still be sending, and close the connection after it
        ApiExchange.outcome(request, "ended");
        response.setHeader("Connection", "close");
        ApiResponses.json(response, JsonShapes.notLocked());
        response.flushBuffer();
        allowIdle(request, idleBefore);
        body.join();
    }

    /** Reads newline-framed {@code {"unlock":bool}} objects until an unlock, the end of the body, or an error. */
    private static boolean awaitUnlock(HttpServletRequest request) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = ApiResponses.mapper().readTree(line);
                    if (node.path("unlock").asBoolean(false)) {
                        return true;
                    }
                } catch (JacksonException e) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
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
