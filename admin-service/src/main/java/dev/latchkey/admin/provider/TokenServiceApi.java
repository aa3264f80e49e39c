package dev.latchkey.admin.provider;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * token-service's internal API (not routed publicly), which owns users and signing keys. admin-service forwards the
 * caller's own Management API token, so token-service checks the same scopes. Bodies are relayed as they are: the
 * user and key shapes are token-service's (Auth0's).
 */
@RegisterRestClient(configKey = "token-service")
@Path("/internal")
public interface TokenServiceApi {

    /** Answers {@code {"users":[...],"start","limit","length","total"}}. */
    @GET
    @Path("/users")
    Uni<JsonNode> listUsers(@HeaderParam("Authorization") String authorization,
            @QueryParam("connection") String connection, @QueryParam("identifier") String identifier,
            @QueryParam("q") String q, @QueryParam("page") int page, @QueryParam("per_page") int perPage);

    @GET
    @Path("/users/{id}")
    Uni<JsonNode> getUser(@HeaderParam("Authorization") String authorization, @PathParam("id") String userId);

    /** Body {@code {"blocked": true|false}}. */
    @PATCH
    @Path("/users/{id}")
    Uni<JsonNode> updateUser(@HeaderParam("Authorization") String authorization, @PathParam("id") String userId,
            JsonNode body);

    @DELETE
    @Path("/users/{id}")
    Uni<Void> deleteUser(@HeaderParam("Authorization") String authorization, @PathParam("id") String userId);

    @GET
    @Path("/keys")
    Uni<JsonNode> listSigningKeys(@HeaderParam("Authorization") String authorization);

    /** {@code alg}: RS256 (token-service's default when absent) or ES256. */
    @POST
    @Path("/keys/rotate")
    Uni<JsonNode> rotateSigningKey(@HeaderParam("Authorization") String authorization, @QueryParam("alg") String alg);
}
