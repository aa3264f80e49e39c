package dev.latchkey.delivery.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure of a request into the API's error body; never a stack trace or a class name. */
public class ApiErrorMapper {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        LOG.debugf("request failed with %d: %s", status, e.getMessage());
        return ApiError.response(status, status == 404 ? "not_found" : status >= 500 ? "server_error" : "bad.request",
                status >= 500
                        ? "The request could not be handled."
                        : String.valueOf(
                                Response.Status.fromStatusCode(status) == null
                                        ? "Bad request."
                                        : Response.Status.fromStatusCode(status).getReasonPhrase() + "."));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.errorf(e, "request failed");
        return ApiError.response(500, "server_error", "The request could not be handled.");
    }
}
