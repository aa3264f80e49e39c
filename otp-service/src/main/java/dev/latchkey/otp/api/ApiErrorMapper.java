package dev.latchkey.otp.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.latchkey.common.api.FrameworkErrorMapper;
import dev.latchkey.otp.service.StartFailure;

/**
 * This service's refusals of a start ({@link StartFailure}) in Auth0's {@code {"error","error_description"}}, never a
 * stack trace or a class name; what the framework refuses or fails on is answered by common's
 * {@link FrameworkErrorMapper} in the same shape. Refusals (4xx) are logged at DEBUG, failures (5xx) at ERROR.
 */
public class ApiErrorMapper {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @ServerExceptionMapper
    public Response refused(StartFailure e) {
        int status = switch (e.reason()) {
            case CLIENT_AUTHENTICATION_REQUIRED, WRONG_CLIENT_SECRET -> 401;
            case TOO_MANY_REQUESTS, TOO_MANY_ATTEMPTS -> 429;
            case UNAVAILABLE -> 503;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case ORIGIN_NOT_ALLOWED -> 403;
            default -> 400;
        };
        if (status >= 500) {
            LOG.errorf("start failed: %s", e.getMessage());
        } else {
            LOG.debugf("start refused: %s %s", e.reason().code(), e.getMessage());
        }
        Response.ResponseBuilder response = FrameworkErrorMapper.error(status,
                new ErrorBody(e.reason().code(), e.getMessage()));
        if (e.retryAfter() != null) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response.build();
    }
}
