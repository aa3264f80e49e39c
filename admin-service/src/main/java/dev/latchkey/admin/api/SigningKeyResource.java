package dev.latchkey.admin.api;

import static dev.latchkey.common.auth.ManagementScopes.CREATE_SIGNING_KEYS;
import static dev.latchkey.common.auth.ManagementScopes.READ_SIGNING_KEYS;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.provider.TokenServiceGateway;
import dev.latchkey.admin.service.ManagementException;

/** {@code /api/v2/keys/signing}: token-service's signing keys (public parts only) and their rotation. */
@Path("/api/v2/keys/signing")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    private final TokenServiceGateway tokenService;
    private final JsonWebToken caller;

    public SigningKeyResource(TokenServiceGateway tokenService, JsonWebToken caller) {
        this.tokenService = tokenService;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(READ_SIGNING_KEYS)
    public Uni<JsonNode> list() {
        return tokenService.listSigningKeys(caller.getRawToken());
    }

    /** Rotates the keys of {@code alg} ({@code RS256} when absent, or {@code ES256}); answers the new key. */
    @POST
    @Path("/rotate")
    @RolesAllowed(CREATE_SIGNING_KEYS)
    public Uni<JsonNode> rotate(@QueryParam("alg") String alg) {
        if (alg != null && !alg.equals("RS256") && !alg.equals("ES256")) {
            throw ManagementException.invalidQuery("alg must be RS256 or ES256");
        }
        return tokenService.rotateSigningKey(caller.getRawToken(), alg);
    }
}
