package dev.latchkey.token.grant;

import java.time.Clock;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.grant.TokenSetIssuer.Refresh;
import dev.latchkey.token.grant.TokenSetIssuer.UserGrant;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;

/**
 * Auth0's deprecated resource-owner login with a one-time code ({@code grant_type=password} on
 * {@code POST /passwordless/verify}): {@code connection}, {@code username}, {@code password} (the code). Allowed to
 * clients with the legacy ro grant or the passwordless OTP grant; user tokens without a refresh token.
 */
@ApplicationScoped
public class LegacyRoGrant {

    private final ClientAuthenticator clients;
    private final CodeVerifier codes;
    private final PasswordlessOtpGrant otp;
    private final TokenSetIssuer issuer;
    private final Clock clock;

    public LegacyRoGrant(ClientAuthenticator clients, CodeVerifier codes, PasswordlessOtpGrant otp,
            TokenSetIssuer issuer, Clock clock) {
        this.clients = clients;
        this.codes = codes;
        this.otp = otp;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Uni<TokenResponse> token(TokenRequest r) {
        ClientConfig client = clients.authenticate(r);
        if (!client.grantEnabled(Grants.LEGACY_RO) && !client.grantEnabled(Grants.PASSWORDLESS_OTP)) {
            throw AuthError.unauthorizedClient(Grants.LEGACY_RO);
        }
        ConnectionConfig connection = codes.connection(client, r.required("connection"));
        String username = r.required("username");
        String password = r.required("password");
        Set<String> scopes = TokenSetIssuer.grantable(Scopes.parse(r.param("scope")), null);
        scopes.remove(Scopes.OFFLINE_ACCESS);
        return otp.signIn(client, connection, username, password)
                .chain(user -> issuer.forUser(new UserGrant(Grants.LEGACY_RO, client, user, scopes, null,
                        r.param("nonce"), clock.instant(), Refresh.NONE, false)));
    }
}
