package dev.latchkey.token.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.token.grant.Apis;
import dev.latchkey.token.keys.AccessTokenVerifier;
import dev.latchkey.token.service.AuthError;

/**
 * The service token of the internal API: an access token this service minted for the Management API audience
 * ({@code client_credentials}), carrying the scope of the call. admin-service presents its own, or the operator's.
 */
@ApplicationScoped
public class InternalAuth {

    private final AccessTokenVerifier verifier;
    private final Apis apis;

    public InternalAuth(AccessTokenVerifier verifier, Apis apis) {
        this.verifier = verifier;
        this.apis = apis;
    }

    /** 401 for a missing or bad token, 403 {@code insufficient_scope} without {@code scope}. */
    public Uni<AccessTokenVerifier.Verified> require(String authorization, String scope) {
        return verifier.verify(authorization, apis.managementAudience()).map(token -> {
            if (!token.hasScope(scope)) {
                throw new AuthError(403, "insufficient_scope", "This call needs the scope " + scope + ".");
            }
            return token;
        });
    }
}
