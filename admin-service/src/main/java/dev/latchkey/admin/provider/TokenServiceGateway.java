package dev.latchkey.admin.provider;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.service.ManagementException;

/**
 * Users and signing keys, through token-service. Failures come back as Management API errors: token-service's 404
 * stays a 404, its 400/401/403/409 keep their status and message, and an unreachable or failing token-service is a
 * 503 (a timeout or an open circuit too, mapped by {@link dev.latchkey.admin.api.ManagementErrorMapper}).
 */
@ApplicationScoped
public class TokenServiceGateway {

    private static final Logger LOG = Logger.getLogger(TokenServiceGateway.class);

    private final TokenServiceApi api;

    public TokenServiceGateway(@RestClient TokenServiceApi api) {
        this.api = api;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<JsonNode> listUsers(String token, String connection, String identifier, String q, int page,
            int perPage) {
        return mapped(api.listUsers(bearer(token), connection, identifier, q, page, perPage), "user");
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<JsonNode> getUser(String token, String userId) {
        return mapped(api.getUser(bearer(token), userId), "user");
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<JsonNode> setBlocked(String token, String userId, boolean blocked) {
        return mapped(api.updateUser(bearer(token), userId, JsonNodeFactory.instance.objectNode().put("blocked",
                blocked)), "user");
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<Void> deleteUser(String token, String userId) {
        return mapped(api.deleteUser(bearer(token), userId), "user");
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<JsonNode> listSigningKeys(String token) {
        return mapped(api.listSigningKeys(bearer(token)), "signing key");
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5, delayUnit = ChronoUnit.SECONDS, failOn = {
            Unavailable.class, TimeoutException.class})
    public Uni<JsonNode> rotateSigningKey(String token, String alg) {
        return mapped(api.rotateSigningKey(bearer(token), alg), "signing key");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static <T> Uni<T> mapped(Uni<T> call, String what) {
        return call.onFailure().transform(e -> translate(e, what));
    }

    static RuntimeException translate(Throwable e, String what) {
        if (e instanceof ManagementException m) {
            return m;
        }
        if (e instanceof WebApplicationException w && w.getResponse() != null) {
            int status = w.getResponse().getStatus();
            String message = upstreamMessage(w);
            if (status == 404) {
                return ManagementException.notFound("inexistent_" + what.replace(' ', '_'),
                        "The " + what + " does not exist.");
            }
            if (status == 400 || status == 401 || status == 403 || status == 409) {
                var kind = switch (status) {
                    case 400 -> ManagementException.Kind.INVALID;
                    case 401 -> ManagementException.Kind.UNAUTHORIZED;
                    case 403 -> ManagementException.Kind.FORBIDDEN;
                    default -> ManagementException.Kind.CONFLICT;
                };
                String code = switch (status) {
                    case 400 -> "invalid_body";
                    case 401 -> "invalid_token";
                    case 403 -> "insufficient_scope";
                    default -> "conflict";
                };
                return new ManagementException(kind, code, message == null
                        ? "token-service refused the request"
                        : message);
            }
            LOG.warnf("token-service answered %d to a %s request", status, what);
            return new Unavailable("token-service could not serve the request (status " + status + ")");
        }
        LOG.warnf("token-service not reachable for a %s request: %s", what, e.getClass().getSimpleName());
        return new Unavailable("token-service is not reachable");
    }

    /** token-service down or failing (503): what the circuit breaker counts; its refusals (4xx) are not. */
    public static class Unavailable extends ManagementException {

        public Unavailable(String message) {
            super(Kind.UNAVAILABLE, "temporarily_unavailable", message);
        }
    }

    private static String upstreamMessage(WebApplicationException w) {
        try {
            JsonNode body = w.getResponse().readEntity(JsonNode.class);
            if (body != null) {
                for (String field : new String[]{"message", "error_description", "error"}) {
                    if (body.hasNonNull(field)) {
                        return body.get(field).asText();
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // no readable body
        }
        return null;
    }
}
