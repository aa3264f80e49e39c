package dev.latchkey.token.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.latchkey.common.api.FrameworkErrorMapper;
import dev.latchkey.token.service.AuthError;

/**
 * This service's refusals ({@link AuthError}) as {@code {"error","error_description"}} with their own status. What
 * the framework refuses or fails on (unknown path, wrong method or media type, unreadable request, any other
 * throwable) is answered by common's {@link FrameworkErrorMapper} in the same shape. 5xx are logged at ERROR, 4xx at
 * DEBUG.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response refusal(AuthError e) {
        if (e.status() >= 500) {
            LOG.errorf("%s: %s", e.error(), e.description());
        } else {
            LOG.debugf("%d %s: %s", e.status(), e.error(), e.description());
        }
        return respond(e);
    }

    static Response respond(AuthError e) {
        Response.ResponseBuilder b = FrameworkErrorMapper.error(e.status(),
                new ErrorBody(e.error(), e.description()));
        if (e.retryAfterSeconds() > 0) {
            b.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401 && "invalid_token".equals(e.error())) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return b.build();
    }
}
