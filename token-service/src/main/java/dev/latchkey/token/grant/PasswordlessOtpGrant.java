package dev.latchkey.token.grant;

import java.time.Clock;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.TokenSetIssuer.Refresh;
import dev.latchkey.token.grant.TokenSetIssuer.UserGrant;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.UserEntity;
import dev.latchkey.token.user.Users;

/**
 * Auth0's passwordless OTP grant: {@code realm} (connection), {@code username} (phone or email), {@code otp}. Every
 * sign-in with a one-time code goes through {@link #signIn} (verify_redirect, {@code /co/authenticate}, the legacy
 * verify), so a code counts the same wherever it is presented.
 */
@ApplicationScoped
public class PasswordlessOtpGrant implements TokenGrant {

    private final CodeVerifier codes;
    private final Users users;
    private final TokenSetIssuer issuer;
    private final Apis apis;
    private final Clock clock;

    public PasswordlessOtpGrant(CodeVerifier codes, Users users, TokenSetIssuer issuer,
            Apis apis, Clock clock) {
        this.codes = codes;
        this.users = users;
        this.issuer = issuer;
        this.apis = apis;
        this.clock = clock;
    }

    /** The credentials of the grant: the connection (enabled for the client), the recipient as typed, the code. */
    public record Credentials(ConnectionConfig connection, String username, String otp) {
    }

    @Override
    public String grantType() {
        return Grants.PASSWORDLESS_OTP;
    }

    @Override
    public Uni<TokenResponse> token(ClientConfig client, TokenRequest r) {
        Credentials credentials = credentials(client, r);
        Api api = apis.forUser(r.param("audience"));
        Set<String> scopes = TokenSetIssuer.grantable(Scopes.parse(r.param("scope")), api);
        return signIn(client, credentials).chain(user -> issuer.forUser(new UserGrant(Grants.PASSWORDLESS_OTP,
                client, user, scopes, api, r.param("nonce"), clock.instant(), Refresh.NEW, false)));
    }

    /** The grant's parameters, checked in this order: {@code realm} (a connection enabled for the client), {@code username}, {@code otp}. */
    public Credentials credentials(ClientConfig client, TokenRequest r) {
        ConnectionConfig connection = codes.connection(client, r.required("realm"));
        return new Credentials(connection, r.required("username"), r.required("otp"));
    }

    public Uni<UserEntity> signIn(ClientConfig client, Credentials credentials) {
        return signIn(client, credentials.connection(), credentials.username(), credentials.otp());
    }

    /** Verifies the code (it is spent on success) and finds or creates the user. */
    public Uni<UserEntity> signIn(ClientConfig client, ConnectionConfig connection, String username, String otp) {
        return codes.verify(client, connection, username, otp, true)
                .chain(v -> users.login(v.connection(), v.recipient()));
    }
}
