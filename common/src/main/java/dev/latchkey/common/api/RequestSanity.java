package dev.latchkey.common.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses, before any resource is matched, a request the framework would otherwise fail on with a 500 or hand to a
 * store that chokes on it: a {@code Content-Type} that is not a media type (matching a resource parses it), and a URL
 * with a NUL byte or a broken percent escape (PostgreSQL refuses NUL in text; the decoder throws on a bad escape).
 */
public class RequestSanity {

    @ServerRequestFilter(preMatching = true)
    public void check(HttpServerRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            try {
                MediaType.valueOf(contentType);
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException(FrameworkError.MALFORMED_HEADER,
                        "The Content-Type header is not a media type.");
            }
        }
        String uri = request.uri();
        if (uri != null && !readable(uri)) {
            throw new MalformedRequestException(FrameworkError.MALFORMED_QUERY,
                    "The request URL has a NUL byte or a broken percent escape.");
        }
    }

    static boolean readable(String uri) {
        if (uri.indexOf('\0') >= 0) {
            return false;
        }
        if (uri.indexOf('%') < 0) {
            return true;
        }
        try {
            // '+' is not an escape; replaced so that only the percent escapes are checked.
            return URLDecoder.decode(uri.replace('+', ' '), StandardCharsets.UTF_8).indexOf('\0') < 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
