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
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * lockcontent, and keeplocked: a long poll that holds the lock while the client's request body
 * stays open, on a virtual thread, until the client sends {@code {"unlock":true}} or the server
 * stops. A poll ended by the server's stop is answered at once, as any other; its lock stays held
 * until the stop ends and is then let go without its retention time, which stays on disk and keeps
 * protecting the content.
 */
@RestController
class LockController {

    /** The client announces {@code Keep-Alive: timeout=1200}; a kept lock may idle that long. */
    static final Duration KEEPLOCKED_IDLE = Duration.ofSeconds(1200);

    private final TargetGate gate;
    private final KeeplockedPolls polls;

    LockController(TargetGate gate, KeeplockedPolls polls) {
        this.gate = gate;
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
        KeeplockedPolls.Ending ending = polls.await(() -> awaitUnlock(request));
        kept.ifPresent(lock -> {
            switch (ending) {
                case UNLOCKED -> lock.unlock();
                case BODY_ENDED -> lock.abandon();
                // held until the stop ends, when every lock is let go with its retention time kept
                case SHUTDOWN -> { }
            }
        });
        ApiExchange.outcome(request, kept.isEmpty() ? "unknown_lock" : switch (ending) {
            case UNLOCKED -> "unlocked";
            case BODY_ENDED -> "abandoned";
            case SHUTDOWN -> "shutdown";
        });
        if (ending == KeeplockedPolls.Ending.SHUTDOWN) {
            // the body is still being read by the poll's reader: no further request on this connection
            response.setHeader("Connection", "close");
        }
        ApiResponses.json(response, JsonShapes.notLocked());
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

    private static void allowLongIdle(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty != null) {
            jetty.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(KEEPLOCKED_IDLE.toMillis());
        }
    }
}
