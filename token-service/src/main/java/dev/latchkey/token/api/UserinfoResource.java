package dev.latchkey.token.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.latchkey.token.grant.Apis;
import dev.latchkey.token.grant.TokenIssuer;
import dev.latchkey.token.keys.AccessTokenVerifier;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.user.Users;

/** {@code /userinfo}: the claims of the access token's user that its scopes allow. */
@Path("/userinfo")
public class UserinfoResource {

    private final AccessTokenVerifier verifier;
    private final Apis apis;
    private final Users users;

    public UserinfoResource(AccessTokenVerifier verifier, Apis apis, Users users) {
        this.verifier = verifier;
        this.apis = apis;
        this.users = users;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return verifier.verify(authorization, apis.userinfoAudience())
                .chain(token -> users.get(token.jwt().getSubject()).map(user -> {
                    if (user == null || user.blocked) {
                        throw new AuthError(401, "invalid_token", "The user of this token is gone or blocked.");
                    }
                    Map<String, Object> claims = new LinkedHashMap<>();
                    claims.put("sub", user.userId);
                    claims.putAll(TokenIssuer.profileClaims(user, token.scopes()));
                    return Response.ok(claims).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
                }));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return get(authorization);
    }
}
