package dev.latchkey.common.auth;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the services that mint and check tokens agree on: the issuer, and the audience of the Management API.
 * token-service mints with them; admin-service (and token-service's internal API) accept only tokens carrying them.
 */
@ConfigMapping(prefix = "latchkey.auth")
public interface AuthConfig {

    /**
     * {@code LATCHKEY_AUTH_ISSUER}: the {@code iss} of every token, the public origin of the tenant with a trailing
     * slash (Auth0: {@code https://<tenant>/}). The discovery document and JWKS are served under it.
     */
    @WithDefault("http://127.0.0.1:8080/")
    String issuer();

    /**
     * {@code LATCHKEY_AUTH_MANAGEMENT_AUDIENCE}: the {@code aud} of Management API tokens; defaults to the issuer
     * followed by {@code api/v2/} (as Auth0's).
     */
    Optional<String> managementAudience();

    /** The Management API audience in force. */
    default String managementApiAudience() {
        return managementAudience().filter(a -> !a.isBlank()).orElse(issuerWithSlash() + "api/v2/");
    }

    /** The issuer, with the trailing slash the OIDC discovery and Auth0 SDKs expect. */
    default String issuerWithSlash() {
        String i = issuer().strip();
        return i.endsWith("/") ? i : i + "/";
    }
}
