package io.annexgate.web;

import io.annexgate.protocol.ApiVersion;
import io.annexgate.protocol.Endpoint;
import io.annexgate.protocol.Key;
import io.annexgate.service.AnnexTarget;
import io.annexgate.service.ContentSource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** GET of a key's content: versioned with offset and validity signalling, and the unversioned form. */
@RestController
class ContentController {

    private final TargetGate gate;

    ContentController(TargetGate gate) {
        this.gate = gate;
    }

    @RequestMapping(path = "/git-annex/{uuid}/{version}/key/**", method = {RequestMethod.GET, RequestMethod.HEAD})
    void get(@PathVariable String uuid, @PathVariable String version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ApiExchange.Versioned call = ApiExchange.versioned(request, Endpoint.GET, version);
        ApiVersion v = call.version();
        RequestParameters params = call.params();
        Key key = params.pathKey();
        params.clientUuid(false);
        params.bypass();
        params.associatedFile();
        long offset = params.offset();
        AnnexTarget target = gate.admit(uuid, Endpoint.GET, request);
        send(target, key, offset, v != ApiVersion.V0, request, response);
    }

    @RequestMapping(path = "/git-annex/{uuid}/key/**", method = {RequestMethod.GET, RequestMethod.HEAD})
    void legacyGet(@PathVariable String uuid, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiExchange.begin(request, Endpoint.LEGACY_GET);
        RequestParameters params = new RequestParameters(request);
        Key key = params.pathKey();
        params.clientUuid(false);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.LEGACY_GET, request);
        send(target, key, 0, false, request, response);
    }

    private static void send(AnnexTarget target, Key key, long offset, boolean signalInvalidity,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ContentSource> found = target.get(key);
        if (found.isEmpty()) {
            ApiExchange.outcome(request, "absent");
            response.setStatus(404);
            return;
        }
        try (ContentSource content = found.get()) {
            long length = content.lengthFrom(offset);
            response.setStatus(200);
            response.setContentType(ApiResponses.OCTETS);
            response.setHeader(RequestParameters.DATA_LENGTH, Long.toString(length));
            if (content.isLocal()) {
                response.setContentLengthLong(length);
            }
            ApiExchange.outcome(request, "sent");
            if (!"HEAD".equals(request.getMethod())) {
                long sent = content.transferTo(offset, response.getOutputStream()::write, signalInvalidity);
                if (sent != length) {
                    ApiExchange.outcome(request, "invalid");
                }
            }
        }
    }

}
