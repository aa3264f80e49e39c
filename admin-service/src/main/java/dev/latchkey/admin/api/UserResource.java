package dev.latchkey.admin.api;

import static dev.latchkey.common.auth.ManagementScopes.DELETE_USERS;
import static dev.latchkey.common.auth.ManagementScopes.READ_USERS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_USERS;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.provider.TokenServiceGateway;
import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.admin.service.RequestJson;

/**
 * {@code /api/v2/users}: list/search, get, block/unblock, delete. token-service owns users; this relays to its
 * internal API with the caller's own token.
 */
@Path("/api/v2/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final TokenServiceGateway tokenService;
    private final RequestJson json;
    private final JsonWebToken caller;

    public UserResource(TokenServiceGateway tokenService, RequestJson json, JsonWebToken caller) {
        this.tokenService = tokenService;
        this.json = json;
        this.caller = caller;
    }

    /**
     * {@code q} matches part of the phone number or email, {@code identifier} one exactly; {@code connection}
     * narrows to one connection. Newest first. A plain array, or with {@code include_totals=true} Auth0's
     * {@code {"users","start","limit","length","total"}}.
     */
    @GET
    @RolesAllowed(READ_USERS)
    public Uni<JsonNode> list(@QueryParam("q") String q, @QueryParam("identifier") String identifier,
            @QueryParam("connection") String connection, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @QueryParam("include_totals") String includeTotals) {
        Paging paging = Paging.of(page, perPage, includeTotals);
        if ((q != null && q.length() > 256) || (identifier != null && identifier.length() > 256)) {
            throw ManagementException.invalidQuery("q and identifier are at most 256 characters");
        }
        return tokenService.listUsers(caller.getRawToken(), connection, identifier, q, paging.page(),
                paging.perPage())
                .map(body -> paging.includeTotals() || !body.has("users") ? body : body.get("users"));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(READ_USERS)
    public Uni<JsonNode> get(@PathParam("id") String id) {
        return tokenService.getUser(caller.getRawToken(), id);
    }

    /** Only {@code {"blocked": true|false}} can be changed here. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(UPDATE_USERS)
    public Uni<JsonNode> update(@PathParam("id") String id, String body) {
        UserPatch patch = json.read(json.parse(body), UserPatch.class);
        if (patch.blocked() == null) {
            throw ManagementException.invalidBody("blocked (true or false) is the only field that can be changed");
        }
        return tokenService.setBlocked(caller.getRawToken(), id, patch.blocked());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(DELETE_USERS)
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return tokenService.deleteUser(caller.getRawToken(), id).map(v -> RestResponse.noContent());
    }

    /** The writable part of a user. */
    public record UserPatch(Boolean blocked) {
    }
}
