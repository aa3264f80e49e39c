package dev.latchkey.token.grant;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.TokenSetIssuer.Refresh;
import dev.latchkey.token.grant.TokenSetIssuer.UserGrant;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.user.Users;

/**
 * The refresh_token grant: new tokens for the user of a refresh token (rotated when the client rotates; see
 * {@link RefreshTokens}), with the granted scope or less.
 */
@ApplicationScoped
public class RefreshTokenGrant implements TokenGrant {

    private final RefreshTokens refreshTokens;
    private final Users users;
    private final TokenSetIssuer issuer;
    private final Apis apis;

    public RefreshTokenGrant(RefreshTokens refreshTokens, Users users,
            TokenSetIssuer issuer, Apis apis) {
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.issuer = issuer;
        this.apis = apis;
    }

    @Override
    public String grantType() {
        return Grants.REFRESH_TOKEN;
    }

    @Override
    public Uni<TokenResponse> token(ClientConfig client, TokenRequest r) {
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
}
