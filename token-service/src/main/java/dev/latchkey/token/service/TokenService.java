package dev.latchkey.token.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.service.Apis.Api;
import dev.latchkey.token.service.TokenIssuer.Refresh;
import dev.latchkey.token.service.TokenIssuer.UserGrant;
import dev.latchkey.token.store.AuthorizationCodes;

/** {@code POST /oauth/token}: one method per grant type. */
@ApplicationScoped
public class TokenService {

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
    Uni<dev.latchkey.token.store.UserEntity> login(ClientConfig client, ConnectionConfig connection, String username,
            String otp, boolean consume) {
        return codes.verify(client, connection, username, otp, consume)
                .chain(v -> users.login(v.connection(), v.recipient()));
    }

    private Uni<TokenResponse> authorizationCode(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        ClientAuthenticator.requireGrant(client, Grants.AUTHORIZATION_CODE);
        String code = r.required("code");
        return authorizationCodes.consume(code).chain(grant -> {
            if (grant == null || !grant.clientId().equals(client.clientId())) {
                throw AuthError.invalidGrant("Invalid authorization code");
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
