package dev.latchkey.token.grant;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.TokenRequest;

/**
 * {@code POST /oauth/token}: authenticates the client, checks that it may use the grant type, and hands the request to
 * the {@link TokenGrant} its {@code grant_type} names.
 */
@ApplicationScoped
public class GrantDispatcher {

    private final ClientAuthenticator clients;
    private final Map<String, TokenGrant> byType = new HashMap<>();

    public GrantDispatcher(ClientAuthenticator clients, Instance<TokenGrant> grants) {
        this.clients = clients;
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
            ClientConfig client = clients.authenticate(request);
            ClientAuthenticator.requireGrant(client, grantType);
            return grant.token(client, request);
        } catch (AuthError e) {
            return Uni.createFrom().failure(e);
        }
    }
}
