package io.annexgate.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes API answers byte for byte as the reference does: JSON with its content type, errors as bare text. */
final class ApiResponses {

    static final String JSON = "application/json;charset=utf-8";
    static final String OCTETS = "application/octet-stream";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ApiResponses() {
    }

    static void json(HttpServletResponse response, Map<String, Object> shape) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(shape);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** An error status with a plain body and, like the reference, no content type. */
    static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static JsonMapper mapper() {
        return MAPPER;
    }
}
