package dev.latchkey.token.login;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.grant.Apis.Api;

/**
 * An authorization request that passed {@link AuthorizationRules}: who asks, what for, and where the answer goes.
 *
 * @param responseTypes {@code code}, or the implicit ones ({@code token}, {@code id_token}, or both)
 * @param codeChallenge the PKCE S256 challenge of a code request, or null
 * @param api the API of {@code audience}, or null
 * @param scopes the scopes a user token may get ({@code openid} included when an id_token is asked for)
 */
public record AuthorizationRequest(ClientConfig client, Callback callback, Set<String> responseTypes, String nonce,
        String codeChallenge, Api api, Set<String> scopes) {

    public AuthorizationRequest {
        responseTypes = Set.copyOf(responseTypes);
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes)); // in the order asked for
    }

    /** The authorization code flow (else implicit). */
    public boolean code() {
        return responseTypes.contains("code");
    }

    public String redirectUri() {
        return callback.redirectUri();
    }
}
