package dev.latchkey.token.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.TokenSetIssuer.Refresh;
import dev.latchkey.token.grant.TokenSetIssuer.UserGrant;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.AuthorizationCodes;
import dev.latchkey.token.store.AuthorizationCodes.FamilyRecord;
import dev.latchkey.token.store.AuthorizationCodes.Redemption;
import dev.latchkey.token.user.Users;

/**
 * The authorization_code grant, with PKCE (S256) required of public clients. A code is exchanged at most once; a code
 * presented again is refused and revokes the refresh token family its exchange issued (RFC 6749 4.1.2). The JWTs it
 * issued cannot be recalled: they stay valid until they expire.
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements TokenGrant {

    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrant.class);
    /** Also for a code presented before: a replay is not told apart from a guess. */
    static final String INVALID_CODE = "Invalid authorization code";

    private final AuthorizationCodes authorizationCodes;
    private final RefreshTokens refreshTokens;
    private final Users users;
    private final TokenSetIssuer issuer;
    private final Apis apis;

    public AuthorizationCodeGrant(AuthorizationCodes authorizationCodes,
            RefreshTokens refreshTokens, Users users, TokenSetIssuer issuer, Apis apis) {
        this.authorizationCodes = authorizationCodes;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.issuer = issuer;
        this.apis = apis;
    }

    @Override
    public String grantType() {
        return Grants.AUTHORIZATION_CODE;
    }

    @Override
    public Uni<TokenResponse> token(ClientConfig client, TokenRequest r) {
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

    /** RFC 7636 S256: BASE64URL(SHA-256(verifier)) equals the challenge; a verifier is 43 to 128 characters. */
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
