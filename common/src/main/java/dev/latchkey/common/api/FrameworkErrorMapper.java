package dev.latchkey.common.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The framework half of every service's error contract: an unknown path, a wrong method or media type, a request that
 * cannot be read ({@link MalformedRequestException}), and any throwable no service mapper claims. Each leaves as JSON
 * in the service's {@link ErrorShape}, with {@code Cache-Control: no-store}, naming no Java class; 5xx are logged at
 * ERROR with the stack, 4xx at DEBUG. A service keeps only the mappers of its own domain errors, which win over these
 * as the more specific exception types.
 */
public class FrameworkErrorMapper {

    private static final Logger LOG = Logger.getLogger(FrameworkErrorMapper.class);

    private final ErrorShape shape;

    public FrameworkErrorMapper(ErrorShape shape) {
        this.shape = shape;
    }

    @ServerExceptionMapper
    public Response malformed(MalformedRequestException e) {
        LOG.debugf(e.getCause(), "400 %s: %s", e.error(), e.getMessage());
        return respond(e.error(), e.error().status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500 || status < 400) {
            LOG.error("request failed", e);
            return respond(FrameworkError.SERVER_ERROR, 500, FrameworkError.SERVER_ERROR.description);
        }
        FrameworkError error = FrameworkError.of(status);
        LOG.debugf("%d: %s", status, e.getMessage());
        Response.Status reason = Response.Status.fromStatusCode(status);
        String description = error == FrameworkError.BAD_REQUEST && status != 400 && reason != null
                ? reason.getReasonPhrase() + "."
                : error.description;
        return respond(error, status, description);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (percentDecoding(e)) {
            // @FormParam forms are decoded by Quarkus REST's form parser, past any reader interceptor.
            LOG.debugf("400: %s", e.getMessage());
            return respond(FrameworkError.MALFORMED_BODY, 400, "The request body is not valid form encoding.");
        }
        LOG.error("request failed", e);
        return respond(FrameworkError.SERVER_ERROR, 500, FrameworkError.SERVER_ERROR.description);
    }

    /** Thrown by the framework's own percent-decoder, not by a service: the input's fault. */
    static boolean percentDecoding(Throwable e) {
        if (!(e instanceof IllegalArgumentException) || e.getStackTrace().length == 0) {
            return false;
        }
        String thrower = e.getStackTrace()[0].getClassName();
        return thrower.equals("org.jboss.resteasy.reactive.common.util.URLUtils")
                || thrower.equals("java.net.URLDecoder");
    }

    private Response respond(FrameworkError error, int status, String description) {
        return json(status, shape.body(error, status, description));
    }

    /** An error response as every mapper of every service sends one: JSON, never cached. */
    public static Response json(int status, Object body) {
        return error(status, body).build();
    }

    /** {@link #json}, for a mapper that adds headers of its own ({@code Retry-After}, {@code WWW-Authenticate}). */
    public static Response.ResponseBuilder error(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").entity(body);
    }
}
