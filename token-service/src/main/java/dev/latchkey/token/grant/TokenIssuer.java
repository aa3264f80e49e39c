package dev.latchkey.token.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.keys.SigningKey;
import dev.latchkey.token.keys.TokenMinter;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.store.UserEntity;

/**
 * Mints the tokens of a grant: an access token (JWT, for {@code /userinfo} and the requested API), an id_token (RS256,
 * when {@code openid} is asked for) and a refresh token (when {@code offline_access} is asked for and the client may
 * refresh).
 */
@ApplicationScoped
public class TokenIssuer {

    private final TokenMinter minter;
    private final RefreshTokens refreshTokens;
    private final Apis apis;
    private final AuthConfig auth;
    private final TokenConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public TokenIssuer(TokenMinter minter, RefreshTokens refreshTokens, Apis apis, AuthConfig auth, TokenConfig config,
            Clock clock, MeterRegistry metrics) {
        this.minter = minter;
        this.refreshTokens = refreshTokens;
        this.apis = apis;
        this.auth = auth;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * A user's grant.
     *
     * @param api the API of {@code audience}, or null for a token good for {@code /userinfo} only
     * @param refreshToken what to do about a refresh token: {@link Refresh#NEW} to start a family when asked for,
     *        {@link Refresh#NONE} for none (implicit), or an existing replacement to hand out
     * @param accessTokenHash put {@code at_hash} in the id_token (implicit flow, where both travel together)
     */
    public record UserGrant(String grantType, ClientConfig client, UserEntity user, Set<String> scopes, Api api,
            String nonce, Instant authTime, Refresh refreshToken, boolean accessTokenHash) {
    }

    /** What to do about the refresh token of a grant. */
    public record Refresh(boolean create, String replacement) {

        public static final Refresh NEW = new Refresh(true, null);
        public static final Refresh NONE = new Refresh(false, null);

        public static Refresh replacedBy(String token) {
            return new Refresh(false, token);
        }
    }

    /** The scopes a user token gets: the OIDC ones asked for, and the asked-for ones the API defines. */
    public static Set<String> grantable(Set<String> requested, Api api) {
        Set<String> granted = new LinkedHashSet<>();
        for (String s : requested) {
            if (Scopes.OIDC.contains(s) || (api != null && api.scopes().contains(s))) {
                granted.add(s);
            }
        }
        return granted;
    }

    public Uni<TokenResponse> forUser(UserGrant g) {
        Instant now = clock.instant();
        boolean openid = g.scopes().contains(Scopes.OPENID);
        String scope = Scopes.format(g.scopes());
        long accessTtl = ttl(g.api() != null && g.api().lifetime() != null
                ? g.api().lifetime()
                : Duration.ofSeconds(g.client().accessTokenTtlSeconds()));

        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", auth.issuerWithSlash());
        access.put("sub", g.user().userId);
        if (g.api() == null) {
            access.put("aud", apis.userinfoAudience());
        } else if (openid) {
            access.put("aud", List.of(g.api().identifier(), apis.userinfoAudience()));
        } else {
            access.put("aud", g.api().identifier());
        }
        access.put("iat", now.getEpochSecond());
        access.put("exp", now.getEpochSecond() + accessTtl);
        access.put("scope", scope);
        access.put("azp", g.client().clientId());
        String accessAlg = g.api() == null ? SigningKey.RS256 : g.api().signingAlg();

        Uni<RefreshTokens.Issued> refresh = !g.scopes().contains(Scopes.OFFLINE_ACCESS)
                ? Uni.createFrom().nullItem()
                : g.refreshToken().replacement() != null
                        ? Uni.createFrom().item(new RefreshTokens.Issued(g.refreshToken().replacement(), null))
                        : g.refreshToken().create() && g.client().grantEnabled(Grants.REFRESH_TOKEN)
                                ? refreshTokens.issue(g.client(), g.user().userId, scope,
                                        g.api() == null ? null : g.api().identifier())
                                : Uni.createFrom().nullItem();

        return minter.sign(accessAlg, access).chain(accessToken -> {
            Uni<String> id = openid
                    ? minter.sign(SigningKey.RS256, idClaims(g, now, accessToken))
                    : Uni.createFrom().nullItem();
            return id.chain(idToken -> refresh.map(issued -> {
                metrics.counter("latchkey.tokens.issued", "grant", g.grantType()).increment();
                return new TokenResponse(accessToken, idToken, issued == null ? null : issued.token(), scope,
                        accessTtl, "Bearer", issued == null ? null : issued.family());
            }));
        });
    }

    /** A machine-to-machine token: {@code sub} is {@code <client_id>@clients} (Auth0), scopes from client grants. */
    public Uni<TokenResponse> forClient(ClientConfig client, Api api, Set<String> scopes) {
        Instant now = clock.instant();
        long ttl = ttl(api.lifetime() != null ? api.lifetime() : Duration.ofSeconds(client.accessTokenTtlSeconds()));
        String scope = Scopes.format(scopes);
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", auth.issuerWithSlash());
        access.put("sub", client.clientId() + "@clients");
        access.put("aud", api.identifier());
        access.put("iat", now.getEpochSecond());
        access.put("exp", now.getEpochSecond() + ttl);
        access.put("scope", scope);
        access.put("azp", client.clientId());
        access.put("gty", "client-credentials");
        return minter.sign(api.signingAlg(), access).map(token -> {
            metrics.counter("latchkey.tokens.issued", "grant", Grants.CLIENT_CREDENTIALS).increment();
            return new TokenResponse(token, null, null, scope, ttl, "Bearer", null);
        });
    }

    private Map<String, Object> idClaims(UserGrant g, Instant now, String accessToken) {
        long ttl = ttl(Duration.ofSeconds(g.client().idTokenTtlSeconds()));
        UserEntity u = g.user();
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("iss", auth.issuerWithSlash());
        id.put("sub", u.userId);
        id.put("aud", g.client().clientId());
        id.put("iat", now.getEpochSecond());
        id.put("exp", now.getEpochSecond() + ttl);
        if (g.authTime() != null) {
            id.put("auth_time", g.authTime().getEpochSecond());
        }
        if (g.nonce() != null) {
            id.put("nonce", g.nonce());
        }
        if (g.accessTokenHash()) {
            id.put("at_hash", leftHalfSha256(accessToken));
        }
        id.putAll(profileClaims(u, g.scopes()));
        return id;
    }

    /** The user claims the scopes allow (also what {@code /userinfo} answers). */
    public static Map<String, Object> profileClaims(UserEntity u, Set<String> scopes) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (scopes.contains(Scopes.EMAIL) && ConnectionConfig.EMAIL.equals(u.strategy)) {
            c.put("email", u.identifier);
            c.put("email_verified", u.emailVerified);
        }
        if (scopes.contains(Scopes.PHONE) && ConnectionConfig.SMS.equals(u.strategy)) {
            c.put("phone_number", u.identifier);
            c.put("phone_number_verified", u.phoneVerified);
        }
        if (scopes.contains(Scopes.PROFILE)) {
            c.put("name", u.identifier);
            if (u.updatedAt != null) {
                c.put("updated_at", u.updatedAt.toString());
            }
        }
        return c;
    }

    private long ttl(Duration wanted) {
        Duration max = config.maxTokenLifetime();
        Duration d = wanted.isNegative() || wanted.isZero() ? max : wanted.compareTo(max) > 0 ? max : wanted;
        return d.toSeconds();
    }

    private static String leftHalfSha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
