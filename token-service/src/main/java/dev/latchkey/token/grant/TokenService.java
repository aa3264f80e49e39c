package dev.latchkey.token.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.TokenIssuer.Refresh;
import dev.latchkey.token.grant.TokenIssuer.UserGrant;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.AuthorizationCodes;
import dev.latchkey.token.store.AuthorizationCodes.FamilyRecord;
import dev.latchkey.token.store.AuthorizationCodes.Redemption;
import dev.latchkey.token.user.Users;

/** {@code POST /oauth/token}: one method per grant type. */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    /** Also for a code presented before: a replay is not told apart from a guess. */
    static final String INVALID_CODE = "Invalid authorization code";

    private final ClientAuthenticator clients;
    private final ConfigView config;
    private final CodeVerifier codes;
    private final Users users;
    private final TokenIssuer issuer;
    private final RefreshTokens refreshTokens;
    private final AuthorizationCodes authorizationCodes;
    private final Apis apis;
    private final Clock clock;

    public TokenService(ClientAuthenticator clients, ConfigView config, CodeVerifier codes, Users users,
            TokenIssuer issuer, RefreshTokens refreshTokens, AuthorizationCodes authorizationCodes, Apis apis,
            Clock clock) {
        this.clients = clients;
        this.config = config;
        this.codes = codes;
        this.users = users;
        this.issuer = issuer;
        this.refreshTokens = refreshTokens;
        this.authorizationCodes = authorizationCodes;
        this.apis = apis;
        this.clock = clock;
    }

    public Uni<TokenResponse> token(TokenRequest request) {
        String grantType = request.grantType();
        if (grantType == null) {
            return Uni.createFrom().failure(AuthError.invalidRequest("Missing required parameter: grant_type"));
        }
        try {
            return switch (grantType) {
                case Grants.PASSWORDLESS_OTP -> passwordless(request);
                case Grants.AUTHORIZATION_CODE -> authorizationCode(request);
                case Grants.REFRESH_TOKEN -> refresh(request);
                case Grants.CLIENT_CREDENTIALS -> clientCredentials(request);
                default -> throw new AuthError(400, "unsupported_grant_type",
                        "Unsupported grant type: " + grantType);
            };
        } catch (AuthError e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The passwordless OTP grant: realm (connection), username (phone or email), otp. */
    private Uni<TokenResponse> passwordless(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        ClientAuthenticator.requireGrant(client, Grants.PASSWORDLESS_OTP);
        String realm = r.required("realm");
        ConnectionConfig connection = CodeVerifier.connection(client, config.connection(realm).orElse(null), realm);
        String username = r.required("username");
        String otp = r.required("otp");
        Api api = userApi(r.param("audience"));
        Set<String> scopes = TokenIssuer.grantable(Scopes.parse(r.param("scope")), api);
        return login(client, connection, username, otp, true).chain(user -> issuer.forUser(new UserGrant(
                Grants.PASSWORDLESS_OTP, client, user, scopes, api, r.param("nonce"), clock.instant(), Refresh.NEW,
                false)));
    }

    /** Verifies the code and finds or creates the user. */
    public Uni<dev.latchkey.token.store.UserEntity> login(ClientConfig client, ConnectionConfig connection,
            String username,
            String otp, boolean consume) {
        return codes.verify(client, connection, username, otp, consume)
                .chain(v -> users.login(v.connection(), v.recipient()));
    }

    /**
     * The authorization_code grant. A code is exchanged at most once; a code presented again is refused and revokes
     * the refresh token family its exchange issued (RFC 6749 4.1.2). The JWTs it issued cannot be recalled: they stay
     * valid until they expire.
     */
    private Uni<TokenResponse> authorizationCode(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        ClientAuthenticator.requireGrant(client, Grants.AUTHORIZATION_CODE);
        String code = r.required("code");
        return authorizationCodes.redeem(code).chain(redemption -> switch (redemption) {
            case Redemption.First first -> exchange(r, client, first.grant())
                    .chain(tokens -> tokens.refreshTokenFamily() == null
                            ? Uni.createFrom().item(tokens)
                            : recordFamily(code, client, tokens));
            case Redemption.Again again -> replayed(again);
            case Redemption.Unknown unknown -> Uni.createFrom().failure(AuthError.invalidGrant(INVALID_CODE));
        });
    }

    private Uni<TokenResponse> exchange(TokenRequest r, ClientConfig client, AuthorizationCodes.Grant grant) {
        if (!grant.clientId().equals(client.clientId())) {
            throw AuthError.invalidGrant(INVALID_CODE);
        }
        if (grant.redirectUri() != null && !grant.redirectUri().equals(r.param("redirect_uri"))) {
            throw AuthError.invalidGrant("The redirect_uri does not match the one of the authorization request.");
        }
        if (grant.codeChallenge() != null) {
            String verifier = r.param("code_verifier");
            if (verifier == null || !pkceMatches(verifier, grant.codeChallenge())) {
                throw AuthError.invalidGrant("Failed to verify code verifier");
            }
        } else if (!client.confidential()) {
            throw AuthError.invalidGrant("Public clients must use PKCE (code_challenge with S256).");
        }
        Api api = grant.audience() == null ? null : apis.find(grant.audience()).orElse(null);
        Set<String> scopes = new LinkedHashSet<>(grant.scope() == null ? List.of() : grant.scope());
        return users.active(grant.userId()).chain(user -> issuer.forUser(new UserGrant(Grants.AUTHORIZATION_CODE,
                client, user, scopes, api, grant.nonce(), Instant.ofEpochSecond(grant.authTime()), Refresh.NEW,
                false)));
    }

    /**
     * Ties the new refresh token family to its code, for a later presentation to revoke. When the code was presented
     * again during this exchange, that presentation had nothing to revoke yet: the family is revoked here and its
     * token is not handed out (the answer is then the same as if the replay had come just after it).
     */
    private Uni<TokenResponse> recordFamily(String code, ClientConfig client, TokenResponse tokens) {
        UUID family = tokens.refreshTokenFamily();
        return authorizationCodes.recordFamily(code, family).chain(recorded -> {
            if (recorded == FamilyRecord.RECORDED) {
                return Uni.createFrom().item(tokens);
            }
            return refreshTokens.revokeFamily(family).map(n -> {
                LOG.infof("authorization code %s during its exchange (client %s): refresh token family %s revoked,"
                        + " not handed out", recorded == FamilyRecord.REPLAYED ? "presented again" : "record gone",
                        client.clientId(), family);
                return tokens.withoutRefreshToken();
            });
        });
    }

    /** A code presented again: refused, and the refresh tokens its exchange issued are revoked. */
    private Uni<TokenResponse> replayed(Redemption.Again again) {
        if (again.family() == null) {
            LOG.infof("authorization code presented again (client %s): no refresh token family recorded for it",
                    again.clientId());
            return Uni.createFrom().failure(AuthError.invalidGrant(INVALID_CODE));
        }
        return refreshTokens.revokeFamily(again.family()).chain(n -> {
            LOG.infof("authorization code presented again (client %s): refresh token family %s revoked",
                    again.clientId(), again.family());
            return Uni.createFrom().failure(AuthError.invalidGrant(INVALID_CODE));
        });
    }

    private Uni<TokenResponse> refresh(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        ClientAuthenticator.requireGrant(client, Grants.REFRESH_TOKEN);
        String presented = r.required("refresh_token");
        return refreshTokens.use(client, presented).chain(use -> {
            Set<String> granted = Scopes.parse(use.used().scope);
            Set<String> asked = Scopes.parse(r.param("scope"));
            Set<String> scopes = granted;
            if (!asked.isEmpty()) {
                if (!granted.containsAll(asked)) {
                    throw AuthError
                            .invalidRequest("The requested scope exceeds the scope granted by the refresh token.");
                }
                scopes = asked;
            }
            if (use.replacement() != null) {
                // The family keeps offline_access even when this exchange asks for less.
                scopes = new LinkedHashSet<>(scopes);
                scopes.add(Scopes.OFFLINE_ACCESS);
            }
            Api api = use.used().audience == null ? null : apis.find(use.used().audience).orElse(null);
            Set<String> finalScopes = scopes;
            return users.active(use.used().userId).chain(user -> issuer.forUser(new UserGrant(Grants.REFRESH_TOKEN,
                    client, user, finalScopes, api, null, null,
                    use.replacement() == null ? Refresh.NONE : Refresh.replacedBy(use.replacement()), false)));
        });
    }

    private Uni<TokenResponse> clientCredentials(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        if (!client.confidential()) {
            throw AuthError.unauthorizedClient(Grants.CLIENT_CREDENTIALS);
        }
        ClientAuthenticator.requireGrant(client, Grants.CLIENT_CREDENTIALS);
        String audience = r.param("audience");
        if (audience == null) {
            throw AuthError.accessDenied("No audience parameter was provided.");
        }
        Api api = apis.find(audience).orElseThrow(() -> AuthError.accessDenied("Service not found: " + audience));
        List<String> granted = client.grantedScopes(audience);
        if (granted.isEmpty()) {
            throw AuthError.accessDenied("Client is not authorized to access \"" + audience
                    + "\". You need to create a client grant associated to this API.");
        }
        Set<String> asked = Scopes.parse(r.param("scope"));
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : granted) {
            if (asked.isEmpty() || asked.contains(s)) {
                scopes.add(s);
            }
        }
        return issuer.forClient(client, api, scopes);
    }

    /** The API of a user token's {@code audience}; the Management API is for client_credentials only. */
    public Api userApi(String audience) {
        if (audience == null) {
            return null;
        }
        Api api = apis.find(audience).orElseThrow(() -> AuthError.accessDenied("Service not found: " + audience));
        if (api.management()) {
            throw AuthError.accessDenied("The Management API accepts client_credentials tokens only.");
        }
        return api;
    }

    static boolean pkceMatches(String verifier, String challenge) {
        if (verifier.length() < 43 || verifier.length() > 128) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
