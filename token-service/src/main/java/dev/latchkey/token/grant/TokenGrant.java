package dev.latchkey.token.grant;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.service.TokenRequest;

/**
 * One grant type of {@code POST /oauth/token} (as Spring Authorization Server has one authentication provider per
 * grant): a bean of this type is found by {@link GrantDispatcher} through its {@link #grantType()}, which first
 * authenticates the client and checks that the grant type is enabled for it.
 */
public interface TokenGrant {

    /** The {@code grant_type} value it answers, as clients list it in {@code grant_types}. */
    String grantType();

    /**
     * Checks the grant's parameters and issues the tokens. May throw an {@link dev.latchkey.token.service.AuthError}
     * before it returns, or fail the {@code Uni} with one.
     *
     * @param client the calling client, authenticated (when confidential) and allowed this grant type
     */
    Uni<TokenResponse> token(ClientConfig client, TokenRequest request);
}
