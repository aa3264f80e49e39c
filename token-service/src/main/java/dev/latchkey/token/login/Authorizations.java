package dev.latchkey.token.login;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.grant.TokenSetIssuer;
import dev.latchkey.token.grant.TokenSetIssuer.Refresh;
import dev.latchkey.token.grant.TokenSetIssuer.UserGrant;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.store.AuthorizationCodes;
import dev.latchkey.token.store.OpaqueTokens;
import dev.latchkey.token.store.UserEntity;

/**
 * The end of every authorization ({@code verify_redirect}, {@code /authorize} with a login ticket): signs the user in
 * and answers the checked request at its redirect_uri with a code or with tokens (implicit, never a refresh token).
 * A refusal of the sign-in goes back to the app too.
 */
@ApplicationScoped
public class Authorizations {

    private final AuthorizationCodes authorizationCodes;
    private final TokenSetIssuer issuer;
    private final TokenConfig settings;
    private final Clock clock;

    public Authorizations(AuthorizationCodes authorizationCodes, TokenSetIssuer issuer, TokenConfig settings,
            Clock clock) {
        this.authorizationCodes = authorizationCodes;
        this.issuer = issuer;
        this.settings = settings;
        this.clock = clock;
    }

    /** Who signs in, asked once the request has passed the rules; an {@link AuthError} goes back to the app. */
    @FunctionalInterface
    public interface SignIn {

        Uni<UserEntity> user();
    }

    public Uni<Outcome> complete(AuthorizationRequest request, SignIn signIn) {
        Uni<UserEntity> user;
        try {
            user = signIn.user();
        } catch (AuthError e) {
            return Uni.createFrom().item(request.callback().error(e.error(), e.description()));
        }
        Instant now = clock.instant();
        return user.chain(u -> request.code() ? code(request, u, now) : implicit(request, u, now))
                .onFailure(AuthError.class).recoverWithItem(e -> {
                    AuthError a = (AuthError) e;
                    String error = "invalid_grant".equals(a.error()) || "unauthorized".equals(a.error())
                            ? "access_denied"
                            : a.error();
                    return request.callback().error(error, a.description());
                });
    }

    private Uni<Outcome> code(AuthorizationRequest request, UserEntity user, Instant now) {
        String code = OpaqueTokens.random(32);
        String challenge = request.codeChallenge();
        var grant = new AuthorizationCodes.Grant(request.client().clientId(), user.userId, request.redirectUri(),
                List.copyOf(request.scopes()), request.api() == null ? null : request.api().identifier(),
                request.nonce(), challenge, challenge == null ? null : "S256", now.getEpochSecond());
        return authorizationCodes.save(code, grant, settings.authorizationCodeTtl())
                .map(x -> request.callback().with(Map.of("code", code)));
    }

    private Uni<Outcome> implicit(AuthorizationRequest request, UserEntity user, Instant now) {
        Set<String> types = request.responseTypes();
        Set<String> scopes = new LinkedHashSet<>(request.scopes());
        scopes.remove(Scopes.OFFLINE_ACCESS); // no refresh tokens through the browser
        return issuer.forUser(new UserGrant(Grants.IMPLICIT, request.client(), user, scopes, request.api(),
                request.nonce(), now, Refresh.NONE, types.contains("token"))).map(t -> {
                    Map<String, String> f = new LinkedHashMap<>();
                    if (types.contains("token")) {
                        f.put("access_token", t.accessToken());
                        f.put("token_type", t.tokenType());
                        f.put("expires_in", Long.toString(t.expiresIn()));
                        f.put("scope", t.scope());
                    }
                    if (types.contains("id_token")) {
                        f.put("id_token", t.idToken());
                    }
                    return request.callback().with(f);
                });
    }
}
