package dev.latchkey.token.grant;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;

import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.TokenRequest;

/** {@code POST /oauth/token}: hands the request to the {@link TokenGrant} its {@code grant_type} names. */
@ApplicationScoped
public class GrantDispatcher {

    private final Map<String, TokenGrant> byType = new HashMap<>();

    public GrantDispatcher(Instance<TokenGrant> grants) {
        for (TokenGrant grant : grants) {
            TokenGrant before = byType.put(grant.grantType(), grant);
            if (before != null) {
                throw new IllegalStateException("two beans answer grant_type " + grant.grantType() + ": "
                        + before.getClass().getName() + " and " + grant.getClass().getName());
            }
        }
    }

    public Uni<TokenResponse> token(TokenRequest request) {
        String grantType = request.grantType();
        if (grantType == null) {
            return Uni.createFrom().failure(AuthError.invalidRequest("Missing required parameter: grant_type"));
        }
        TokenGrant grant = byType.get(grantType);
        if (grant == null) {
            return Uni.createFrom().failure(new AuthError(400, "unsupported_grant_type",
                    "Unsupported grant type: " + grantType));
        }
        try {
            return grant.token(request);
        } catch (AuthError e) {
            return Uni.createFrom().failure(e);
        }
    }
}
