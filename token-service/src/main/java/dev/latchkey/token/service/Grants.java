package dev.latchkey.token.service;

/** Grant type names, as clients have them in {@code grant_types} (Auth0's). */
public final class Grants {

    public static final String PASSWORDLESS_OTP = "http://auth0.com/oauth/grant-type/passwordless/otp";
    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String IMPLICIT = "implicit";
    /** Auth0's legacy resource-owner grant, under which {@code POST /passwordless/verify} mints tokens. */
    public static final String LEGACY_RO = "http://auth0.com/oauth/legacy/grant-type/ro";

    private Grants() {
    }
}
