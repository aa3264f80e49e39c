package dev.latchkey.token.service;

/** What a successful grant yields (absent parts are null). */
public record TokenResponse(String accessToken, String idToken, String refreshToken, String scope, long expiresIn,
        String tokenType) {
}
