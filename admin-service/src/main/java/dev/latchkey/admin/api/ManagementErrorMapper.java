package dev.latchkey.admin.api;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jose4j.jwt.consumer.InvalidJwtException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.common.api.FrameworkErrorMapper;

/**
 * The Management API's own errors in its one contract, {@code {"statusCode","error","message","errorCode"}} (Auth0's
 * Management API shape): refusals of its use cases, missing, bad or under-scoped tokens, token-service not answering.
 * What the framework refuses or fails on is answered by common's {@link FrameworkErrorMapper} in the same shape
 * ({@link ManagementErrorShape}). No body ever carries a stack trace or a Java class name. Under {@code /console}, a
 * missing or bad token sends the browser to the sign-in page instead.
 */
public class ManagementErrorMapper {

    private static final Logger LOG = Logger.getLogger(ManagementErrorMapper.class);

    @ServerExceptionMapper
    public Response managed(ManagementException e) {
        LOG.debugf("%d %s: %s", e.kind().status, e.errorCode(), e.getMessage());
        return error(e.kind().status, e.getMessage(), e.errorCode());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        if (console(request)) {
            return toSignIn();
        }
        return challenge(error(401, "Missing authentication", null));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        if (console(request)) {
            return toSignIn();
        }
        boolean expired = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException j && j.hasExpired()) {
                expired = true;
            }
        }
        LOG.debugf("rejected a token: %s", expired ? "expired" : "invalid");
        return challenge(expired
                ? error(401, "Expired token received for JSON Web Token validation", "token_expired")
                : error(401, "Invalid token", "invalid_token"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, SimpleResourceInfo resource, HttpServerRequest request) {
        List<String> expected = List.of();
        Method method = resource == null ? null : method(resource);
        if (method != null && method.getAnnotation(RolesAllowed.class) != null) {
            expected = List.of(method.getAnnotation(RolesAllowed.class).value());
        }
        if (console(request)) {
            String needed = expected.isEmpty() ? "" : " It needs the scope " + String.join(" or ", expected) + ".";
            return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not allowed · Latchkey"
                            + "</title><p>Your token does not allow this." + needed
                            + " <a href=\"/console\">Back to the console</a> · <a href=\"/console/login\">Sign in "
                            + "with another token</a></p></html>")
                    .build();
        }
        return error(403, "Insufficient scope" + (expected.isEmpty()
                ? ""
                : ", expected any of: "
                        + String.join(",", expected)),
                "insufficient_scope");
    }

    @ServerExceptionMapper({TimeoutException.class, CircuitBreakerOpenException.class})
    public Response upstream(RuntimeException e) {
        LOG.warnf("token-service call failed: %s", e.getClass().getSimpleName());
        return error(503, "token-service is not answering; try again shortly", "temporarily_unavailable");
    }

    static Response error(int status, String message, String errorCode) {
        Response.Status s = Response.Status.fromStatusCode(status);
        String reason = s == null ? "Error" : s.getReasonPhrase();
        return FrameworkErrorMapper.json(status, new ManagementError(status, reason, message, errorCode));
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static boolean console(HttpServerRequest request) {
        return request != null && request.path() != null && request.path().startsWith("/console");
    }

    private static Response toSignIn() {
        return Response.seeOther(URI.create("/console/login")).build();
    }

    private static Method method(SimpleResourceInfo info) {
        return Arrays.stream(info.getResourceClass().getMethods())
                .filter(m -> m.getName().equals(info.getMethodName())
                        && Arrays.equals(m.getParameterTypes(), info.parameterTypes()))
                .findFirst().orElse(null);
    }
}
