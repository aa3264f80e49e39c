package dev.latchkey.token.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** token-service settings (prefix {@code latchkey.token}). Issuer and Management API audience: {@code latchkey.auth}. */
@ConfigMapping(prefix = "latchkey.token")
public interface TokenConfig {

    /** Checking one-time codes against the state otp-service wrote in Redis. */
    Otp otp();

    /** The signing keys (kept in PostgreSQL, private parts encrypted with the platform key). */
    Keys keys();

    /**
     * How long a code from {@code /passwordless/verify_redirect} can be exchanged at {@code /oauth/token}; an exchanged
     * code is remembered as long again, so that a replay revokes the refresh tokens it issued.
     */
    @WithDefault("60s")
    Duration authorizationCodeTtl();

    /**
     * How long a login ticket from {@code POST /co/authenticate} (cross-origin authentication) can be taken to
     * {@code /authorize}; auth0.js goes there at once.
     */
    @WithDefault("60s")
    Duration loginTicketTtl();

    /**
     * Longest lifetime of any token, whatever a client or API asks for (Auth0 caps at 30 days). A retired signing key
     * stays in the JWKS this long, so every token it signed still verifies until it expires.
     */
    @WithDefault("P30D")
    Duration maxTokenLifetime();

    /** Clock difference tolerated on {@code exp} of tokens presented to {@code /userinfo} and the internal API. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * APIs (resource servers) that access tokens may be requested for with {@code audience}, by any name, e.g.
     * {@code latchkey.token.apis.orders.identifier=https://orders.example.com/}. The Management API is built in.
     */
    Map<String, Api> apis();

    /** Access tokens for the Management API (admin-service), minted with {@code client_credentials}. */
    ManagementApi managementApi();

    interface Otp {

        /**
         * Wrong codes for one recipient (across codes: a new code does not reset the count) that lock the recipient
         * for the rest of {@code fail-window}; a locked recipient gets 429 {@code too_many_attempts}.
         */
        @WithDefault("100")
        int lockThreshold();

        /** The window wrong codes are counted over, from the first wrong one. */
        @WithDefault("1h")
        Duration failWindow();
    }

    interface Keys {

        /**
         * Age at which the current key of each algorithm is rotated automatically (its successor, published in the
         * JWKS since the previous rotation, starts signing). Absent: keys rotate only when asked (internal API).
         */
        Optional<Duration> rotationPeriod();

        /** Size of new RSA keys. */
        @WithDefault("2048")
        int rsaBits();
    }

    interface Api {

        /** The API's audience identifier, as clients pass it in {@code audience}. */
        String identifier();

        /** {@code RS256} (default) or {@code ES256}: the algorithm of this API's access tokens. */
        @WithDefault("RS256")
        String signingAlg();

        /** Lifetime of this API's access tokens; absent: the client's {@code access_token_ttl_s}. */
        Optional<Duration> tokenLifetime();

        /** Scopes the API defines; requested scopes outside this list are left out of user tokens. */
        Optional<List<String>> scopes();
    }

    interface ManagementApi {

        /** {@code RS256} or {@code ES256}: the algorithm of Management API tokens. */
        @WithDefault("RS256")
        String signingAlg();

        /** Lifetime of Management API tokens. */
        @WithDefault("24h")
        Duration tokenLifetime();
    }
}
