package dev.latchkey.token.grant;

import java.util.UUID;

/**
 * What a successful grant yields (absent parts are null).
 *
 * @param refreshTokenFamily the family {@code refreshToken} starts, when this grant started one (never sent)
 */
public record TokenResponse(String accessToken, String idToken, String refreshToken, String scope, long expiresIn,
        String tokenType, UUID refreshTokenFamily) {

    /** The same answer without its refresh token (whose family was revoked before it was handed out). */
    public TokenResponse withoutRefreshToken() {
        return new TokenResponse(accessToken, idToken, null, scope, expiresIn, tokenType, null);
    }
}
