package dev.latchkey.otp.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.latchkey.otp.service.StartFailure;

/**
 * The one error contract of this service: Auth0's {@code {"error","error_description"}}, never a stack trace or a
 * class name. Refusals (4xx) are logged at DEBUG, failures (5xx) at ERROR.
 */
public class ApiErrorMapper {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @ServerExceptionMapper
    public RestResponse<ErrorBody> refused(StartFailure e) {
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
        var response = RestResponse.ResponseBuilder.<ErrorBody>create(status)
                .entity(new ErrorBody(e.reason().code(), e.getMessage()))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (e.retryAfter() != null) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response.build();
    }

    /** What JAX-RS itself refuses: unknown path, wrong method, body too large for the server. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("request failed with %d: %s", status, e.getMessage());
            return json(500, new ErrorBody("server_error", "Internal error"));
        }
        String error = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 401 -> "unauthorized";
            case 403 -> "access_denied";
            default -> "bad.request";
        };
        String description = switch (status) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "The request body is larger than " + StartBodyLimit.MAX_BYTES + " bytes";
            case 415 -> "Content-Type must be application/json";
            default -> "Bad request";
        };
        LOG.debugf("request refused with %d: %s", status, e.getMessage());
        return json(status, new ErrorBody(error, description));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return json(500, new ErrorBody("server_error", "Internal error"));
    }

    private static RestResponse<ErrorBody> json(int status, ErrorBody body) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
