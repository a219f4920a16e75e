package io.annexgate.web;

import io.annexgate.config.AnnexgateProperties;
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

/**
 * GET of a key's content: versioned with offset and validity signalling, and the unversioned form.
 * For HTTP clients other than git-annex both honour a single byte range of local content
 * ({@code Range}, 206/416) and the validators of content-addressed keys ({@code If-None-Match},
 * {@code If-Range}); see {@link AnnexgateProperties.PlainHttp}. A versioned GET with the protocol's
 * {@code offset} parameter ignores {@code Range}: the two would disagree on what
 * {@code X-git-annex-data-length} counts from.
 */
@RestController
class ContentController {

    private static final String RANGE = "Range";
    private static final String IF_NONE_MATCH = "If-None-Match";
    private static final String IF_RANGE = "If-Range";

    private final TargetGate gate;
    private final AnnexgateProperties.PlainHttp plainHttp;

    ContentController(TargetGate gate, AnnexgateProperties properties) {
        this.gate = gate;
        this.plainHttp = properties.plainHttp();
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
        boolean offsetGiven = request.getParameter("offset") != null;
        AnnexTarget target = gate.admit(uuid, Endpoint.GET, request);
        send(target, key, offset, offsetGiven, v != ApiVersion.V0, request, response);
    }

    @RequestMapping(path = "/git-annex/{uuid}/key/**", method = {RequestMethod.GET, RequestMethod.HEAD})
    void legacyGet(@PathVariable String uuid, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiExchange.begin(request, Endpoint.LEGACY_GET);
        RequestParameters params = new RequestParameters(request);
        Key key = params.pathKey();
        params.clientUuid(false);
        params.bypass();
        AnnexTarget target = gate.admit(uuid, Endpoint.LEGACY_GET, request);
        send(target, key, 0, false, false, request, response);
    }

    private void send(AnnexTarget target, Key key, long offset, boolean offsetGiven, boolean signalInvalidity,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ContentSource> found = target.get(key);
        if (found.isEmpty()) {
            ApiExchange.outcome(request, "absent");
            response.setStatus(404);
            return;
        }
        try (ContentSource content = found.get()) {
            boolean ranges = content.servesRanges() && !offsetGiven;
            Optional<String> etag = KeyValidators.etag(key);
            if (plainHttp.advertise() || request.getHeader(RANGE) != null || request.getHeader(IF_NONE_MATCH) != null
                    || request.getHeader(IF_RANGE) != null) {
                validators(response, ranges, etag);
            }
            if (KeyValidators.noneMatchHits(request.getHeader(IF_NONE_MATCH), etag)) {
                ApiExchange.outcome(request, "not_modified");
                response.setStatus(304);
                return;
            }
            Optional<ByteRange> range = ranges && KeyValidators.ifRangeHolds(request.getHeader(IF_RANGE), etag)
                    ? ByteRange.of(request.getHeader(RANGE), content.lengthFrom(0)) : Optional.empty();
            switch (range.orElse(null)) {
                case null -> whole(content, offset, signalInvalidity, request, response);
                case ByteRange.Slice slice -> slice(content, slice, request, response);
                case ByteRange.Unsatisfiable u -> {
                    ApiExchange.outcome(request, "unsatisfiable");
                    response.setStatus(416);
                    response.setHeader("Content-Range", "bytes */" + content.lengthFrom(0));
                }
            }
        }
    }

    private void validators(HttpServletResponse response, boolean ranges, Optional<String> etag) {
        if (ranges) {
            response.setHeader("Accept-Ranges", "bytes");
        }
        etag.ifPresent(tag -> {
            response.setHeader("ETag", tag);
            response.setHeader("Cache-Control", KeyValidators.cacheControl(plainHttp.maxAge()));
        });
    }

    private static void whole(ContentSource content, long offset, boolean signalInvalidity, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
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

    /** 206 with one range; X-git-annex-data-length counts the bytes of the range, as Content-Length does. */
    private static void slice(ContentSource content, ByteRange.Slice slice, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        response.setStatus(206);
        response.setContentType(ApiResponses.OCTETS);
        response.setHeader("Content-Range", slice.contentRange(content.lengthFrom(0)));
        response.setHeader(RequestParameters.DATA_LENGTH, Long.toString(slice.length()));
        response.setContentLengthLong(slice.length());
        ApiExchange.outcome(request, "sent_range");
        if (!"HEAD".equals(request.getMethod())) {
            long sent = content.transferRange(slice.first(), slice.length(), response.getOutputStream()::write);
            if (sent != slice.length()) {
                ApiExchange.outcome(request, "invalid");
            }
        }
    }

}
