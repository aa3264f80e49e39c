package dev.latchkey.token.api;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.UserRepository;
import dev.latchkey.token.user.Users;

/**
 * Users for admin-service. Not routed publicly (the ingress sends no {@code /internal/*} path here); every call needs
 * a service token (see {@link InternalAuth}).
 */
@Path("/internal/users")
@Produces(MediaType.APPLICATION_JSON)
public class InternalUsersResource {

    private static final int MAX_PER_PAGE = 100;

    private final Users users;
    private final InternalAuth auth;

    public InternalUsersResource(Users users, InternalAuth auth) {
        this.users = users;
        this.auth = auth;
    }

    /** A blocked flag change, as Auth0's {@code PATCH /api/v2/users/{id}} takes it. */
    public record Patch(Boolean blocked) {
    }

    /**
     * Lists users, newest first: {@code connection} (exact), {@code identifier} (exact, normalised like a login's),
     * {@code q} (part of the phone number or email); {@code page} from 0, {@code per_page} up to 100.
     */
    @GET
    public Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("connection") String connection, @QueryParam("identifier") String identifier,
            @QueryParam("q") String q, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("per_page") @DefaultValue("50") int perPage) {
        if (page < 0 || perPage < 1 || perPage > MAX_PER_PAGE) {
            return Uni.createFrom().failure(AuthError.invalidRequest("page must be >= 0 and per_page 1..100"));
        }
        String exact = identifier == null || identifier.isBlank()
                ? null
                : Recipients.phone(identifier).or(() -> Recipients.email(identifier)).orElse(identifier.strip());
        var filter = new UserRepository.Filter(blankToNull(connection), exact, blankToNull(q));
        return auth.require(authorization, ManagementScopes.READ_USERS)
                .chain(t -> users.search(filter, page, perPage))
                .map(p -> Response.ok(Map.of("users", p.users().stream().map(UserBody::of).toList(),
                        "start", (long) p.page() * p.perPage(), "limit", p.perPage(),
                        "length", p.users().size(), "total", p.total())).build());
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id) {
        return auth.require(authorization, ManagementScopes.READ_USERS).chain(t -> users.get(id))
                .map(InternalUsersResource::found);
    }

    /** {@code {"blocked": true|false}}. */
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> patch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id, Patch patch) {
        if (patch == null || patch.blocked() == null) {
            return Uni.createFrom().failure(AuthError.invalidRequest("Body must be {\"blocked\": true|false}."));
        }
        return auth.require(authorization, ManagementScopes.UPDATE_USERS)
                .chain(t -> users.setBlocked(id, patch.blocked())).map(InternalUsersResource::found);
    }

    /** Deletes the user and its refresh tokens. */
    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id) {
        return auth.require(authorization, ManagementScopes.DELETE_USERS).chain(t -> users.delete(id))
                .map(deleted -> {
                    if (!deleted) {
                        throw notFound();
                    }
                    return Response.noContent().build();
                });
    }

    private static Response found(dev.latchkey.token.store.UserEntity u) {
        if (u == null) {
            throw notFound();
        }
        return Response.ok(UserBody.of(u)).build();
    }

    private static AuthError notFound() {
        return new AuthError(404, "not_found", "The user does not exist.");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
