package dev.latchkey.token.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.latchkey.token.grant.TokenResponse;

/** The 200 body of {@code /oauth/token} (Auth0's field names). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenBody(String accessToken, String idToken, String refreshToken, String scope, Long expiresIn,
        String tokenType) {

    static TokenBody of(TokenResponse t) {
        return new TokenBody(t.accessToken(), t.idToken(), t.refreshToken(), t.scope(), t.expiresIn(), t.tokenType());
    }
}
