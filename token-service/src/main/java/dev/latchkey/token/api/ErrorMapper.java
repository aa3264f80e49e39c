package dev.latchkey.token.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.latchkey.token.service.AuthError;

/**
 * Every failure leaves as {@code {"error","error_description"}}: refusals with their own status, framework errors
 * (unknown path, wrong method or media type, unreadable body) with theirs, anything else as a 500 that names no Java
 * class. 5xx are logged at ERROR, 4xx at DEBUG.
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

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return json(status, "server_error", "The server could not handle the request.");
        }
        LOG.debugf("%d: %s", status, e.getMessage());
        String description = switch (status) {
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 406 -> "Not acceptable.";
            case 413 -> "Request too large.";
            case 415 -> "Unsupported content type: use application/x-www-form-urlencoded or application/json.";
            default -> "The request could not be read.";
        };
        return json(status, status == 404 ? "not_found" : "invalid_request", description);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return json(500, "server_error", "The server could not handle the request.");
    }

    static Response respond(AuthError e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new ErrorBody(e.error(), e.description()));
        if (e.retryAfterSeconds() > 0) {
            b.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401 && "invalid_token".equals(e.error())) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return b.build();
    }

    static Response json(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new ErrorBody(error, description)).build();
    }
}
