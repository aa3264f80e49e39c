package dev.latchkey.admin.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.latchkey.common.api.ErrorShape;
import dev.latchkey.common.api.FrameworkError;

/**
 * Framework errors in the Management API's shape: the status's reason phrase as {@code error}, the sentence as
 * {@code message}, and Auth0's {@code errorCode} where it has one for a request it cannot read.
 */
@ApplicationScoped
public class ManagementErrorShape implements ErrorShape {

    @Override
    public Object body(FrameworkError error, int status, String description) {
        String errorCode = switch (error) {
            case MALFORMED_BODY -> "invalid_body";
            case MALFORMED_QUERY -> "invalid_query_string";
            case MALFORMED_HEADER -> "invalid_header";
            default -> null;
        };
        Response.Status s = Response.Status.fromStatusCode(status);
        return new ManagementError(status, s == null ? "Error" : s.getReasonPhrase(), description, errorCode);
    }
}
