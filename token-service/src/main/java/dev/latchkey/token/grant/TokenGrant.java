package dev.latchkey.token.grant;

import io.smallrye.mutiny.Uni;

import dev.latchkey.token.service.TokenRequest;

/**
 * One grant type of {@code POST /oauth/token} (as Spring Authorization Server has one authentication provider per
 * grant): a bean of this type is found by {@link GrantDispatcher} through its {@link #grantType()}.
 */
public interface TokenGrant {

    /** The {@code grant_type} value it answers, as clients list it in {@code grant_types}. */
    String grantType();

    /**
     * Authenticates the client, checks the grant's parameters and issues the tokens. May throw an
     * {@link dev.latchkey.token.service.AuthError} before it returns, or fail the {@code Uni} with one.
     */
    Uni<TokenResponse> token(TokenRequest request);
}
