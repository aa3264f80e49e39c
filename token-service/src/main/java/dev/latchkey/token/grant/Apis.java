package dev.latchkey.token.grant;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.keys.SigningKey;
import dev.latchkey.token.service.AuthError;

/**
 * The APIs access tokens can be minted for: the built-in Management API and those configured under
 * {@code latchkey.token.apis}. Without an {@code audience} a user token is for {@code /userinfo} only.
 */
@ApplicationScoped
public class Apis {

    private final AuthConfig auth;
    private final Map<String, Api> byIdentifier = new HashMap<>();

    /**
     * @param scopes the scopes the API defines (empty: no API scopes are granted to users)
     * @param lifetime the access token lifetime, or null for the client's
     */
    public record Api(String identifier, String signingAlg, Duration lifetime, List<String> scopes,
            boolean management) {
    }

    public Apis(AuthConfig auth, TokenConfig config) {
        this.auth = auth;
        for (TokenConfig.Api a : config.apis().values()) {
            String alg = a.signingAlg().strip().toUpperCase(Locale.ROOT);
            if (!SigningKey.RS256.equals(alg) && !SigningKey.ES256.equals(alg)) {
                throw new IllegalArgumentException("latchkey.token.apis: signing-alg of " + a.identifier()
                        + " must be RS256 or ES256, not " + a.signingAlg());
            }
            byIdentifier.put(a.identifier(), new Api(a.identifier(), alg, a.tokenLifetime().orElse(null),
                    a.scopes().orElse(List.of()), false));
        }
        TokenConfig.ManagementApi m = config.managementApi();
        String mgmt = auth.managementApiAudience();
        byIdentifier.put(mgmt,
                new Api(mgmt, m.signingAlg().strip().toUpperCase(Locale.ROOT), m.tokenLifetime(), List.of(),
                        true));
    }

    public Optional<Api> find(String identifier) {
        return Optional.ofNullable(identifier == null ? null : byIdentifier.get(identifier));
    }

    /**
     * The API of a user token's {@code audience} (null without one); 403 {@code access_denied} for an unknown one and
     * for the Management API, which is for client_credentials only.
     */
    public Api forUser(String audience) {
        if (audience == null) {
            return null;
        }
        Api api = find(audience).orElseThrow(() -> AuthError.accessDenied("Service not found: " + audience));
        if (api.management()) {
            throw AuthError.accessDenied("The Management API accepts client_credentials tokens only.");
        }
        return api;
    }

    /** The audience of {@code /userinfo}: every user access token with {@code openid} carries it. */
    public String userinfoAudience() {
        return auth.issuerWithSlash() + "userinfo";
    }

    public String managementAudience() {
        return auth.managementApiAudience();
    }
}
