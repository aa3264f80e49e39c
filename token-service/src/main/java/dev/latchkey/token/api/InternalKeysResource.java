package dev.latchkey.token.api;

import java.time.Instant;
import java.util.Map;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.token.keys.SigningKey;
import dev.latchkey.token.keys.SigningKeys;

/** Signing keys for admin-service: list and rotate. Not routed publicly; needs a service token. */
@Path("/internal/keys")
@Produces(MediaType.APPLICATION_JSON)
public class InternalKeysResource {

    private final SigningKeys keys;
    private final InternalAuth auth;

    public InternalKeysResource(SigningKeys keys, InternalAuth auth) {
        this.keys = keys;
        this.auth = auth;
    }

    /** A published key (Auth0's signing key fields that apply), with its public JWK. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyBody(String kid, String alg, boolean current, boolean next, boolean previous,
            Instant createdAt, Instant currentSince, Instant currentUntil, Instant publishedUntil,
            Map<String, Object> jwk) {

        static KeyBody of(SigningKey k) {
            return new KeyBody(k.kid(), k.alg(), "current".equals(k.state()), "next".equals(k.state()),
                    "previous".equals(k.state()), k.createdAt(), k.activatedAt(), k.retiredAt(), k.expiresAt(),
                    k.jwk());
        }
    }

    @GET
    public Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return auth.require(authorization, ManagementScopes.READ_SIGNING_KEYS).chain(t -> keys.refresh())
                .map(ring -> Response.ok(ring.published().stream().map(KeyBody::of).toList()).build());
    }

    /** Rotates the keys of {@code alg} (RS256 by default); answers the key that signs from now on. */
    @POST
    @Path("rotate")
    public Uni<Response> rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("alg") @DefaultValue("RS256") String alg) {
        return auth.require(authorization, ManagementScopes.CREATE_SIGNING_KEYS).chain(t -> keys.rotate(alg))
                .map(k -> Response.ok(Map.of("kid", k.kid(), "alg", k.alg())).build());
    }
}
