package io.annexgate.web;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API request whose parameters are its query string's and nothing else. The servlet container
 * would otherwise merge in the fields of a body sent as {@code application/x-www-form-urlencoded}
 * (curl's default for {@code --data}) or {@code multipart/form-data}, reading the body to find them:
 * a put's content would be gone, or fail to decode as a form, before the put began. The body of an
 * API request is content (put) or unlock messages (keeplocked), so it stays an untouched stream.
 *
 * <p>The query is decoded as git-annex's server decodes it: {@code +} is a space, a {@code %} not
 * followed by two hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD; the
 * values themselves are judged by {@link RequestParameters}.
 */
final class QueryOnlyRequest extends HttpServletRequestWrapper {

    private final Map<String, String[]> parameters;

    QueryOnlyRequest(HttpServletRequest request) {
        super(request);
        this.parameters = Collections.unmodifiableMap(parse(request.getQueryString()));
    }

    /** Wraps every request (and every error dispatch) before anything else can ask for a parameter. */
    static Filter filter() {
        return (request, response, chain) -> chain.doFilter(
                request instanceof HttpServletRequest http && !(http instanceof QueryOnlyRequest)
                        ? new QueryOnlyRequest(http) : request,
                response);
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }

    /** No API request has parts; the body is not parsed to look for them. */
    @Override
    public Collection<Part> getParts() {
        return List.of();
    }

    @Override
    public Part getPart(String name) {
        return null;
    }

    static Map<String, String[]> parse(String query) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                found.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        found.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        return parameters;
    }

    static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int hi = c == '%' && i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
            int lo = hi < 0 ? -1 : hexDigit(text.charAt(i + 2));
            if (lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                bytes.writeBytes(c == '+' ? new byte[] {' '} : Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
