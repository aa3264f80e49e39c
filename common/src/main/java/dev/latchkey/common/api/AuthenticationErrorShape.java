package dev.latchkey.common.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * The Authentication API's shape for framework errors (otp, token and delivery service): {@code not_found},
 * {@code method_not_allowed}, {@code unauthorized}, {@code access_denied}, {@code server_error}, and
 * {@code invalid_request} for every other refusal, as Auth0 answers a request it cannot read.
 */
@ApplicationScoped
@DefaultBean
public class AuthenticationErrorShape implements ErrorShape {

    @Override
    public Object body(FrameworkError error, int status, String description) {
        String code = switch (error) {
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case SERVER_ERROR -> "server_error";
            case BAD_REQUEST -> status == 401 ? "unauthorized" : status == 403 ? "access_denied" : "invalid_request";
            default -> "invalid_request";
        };
        return new AuthenticationError(code, description);
    }
}
