package dev.latchkey.token.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.ClientAuthenticator;
import dev.latchkey.token.grant.CodeVerifier;
import dev.latchkey.token.grant.TokenIssuer;
import dev.latchkey.token.grant.TokenIssuer.Refresh;
import dev.latchkey.token.grant.TokenIssuer.UserGrant;
import dev.latchkey.token.grant.TokenResponse;
import dev.latchkey.token.grant.TokenService;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.AuthorizationCodes;
import dev.latchkey.token.store.OpaqueTokens;
import dev.latchkey.token.store.OtpStore;
import dev.latchkey.token.store.UserEntity;
import dev.latchkey.token.user.Users;

/**
 * The passwordless endpoints besides {@code /oauth/token}: {@code GET /passwordless/verify_redirect} (magic links and
 * auth0.js {@code passwordlessVerify}) and the legacy {@code POST /passwordless/verify}.
 */
@ApplicationScoped
public class PasswordlessService {

    private static final Logger LOG = Logger.getLogger(PasswordlessService.class);
    private static final Set<String> RESPONSE_TYPES = Set.of("code", "token", "id_token", "id_token token",
            "token id_token");

    private final ClientAuthenticator clients;
    private final ConfigView config;
    private final CodeVerifier codes;
    private final Users users;
    private final TokenIssuer issuer;
    private final TokenService tokens;
    private final AuthorizationCodes authorizationCodes;
    private final OtpStore otp;
    private final TokenConfig settings;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PasswordlessService(ClientAuthenticator clients, ConfigView config, CodeVerifier codes, Users users,
            TokenIssuer issuer, TokenService tokens, AuthorizationCodes authorizationCodes, OtpStore otp,
            TokenConfig settings, ObjectMapper mapper, Clock clock) {
        this.clients = clients;
        this.config = config;
        this.codes = codes;
        this.users = users;
        this.issuer = issuer;
        this.tokens = tokens;
        this.authorizationCodes = authorizationCodes;
        this.otp = otp;
        this.settings = settings;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Where a verify_redirect ends: a redirect, a form posted to the callback, or an error page of ours. */
    public sealed interface Outcome {
    }

    /** 302 to {@code location}. */
    public record Redirect(String location) implements Outcome {
    }

    /** {@code response_mode=form_post}: an auto-submitting form to {@code action}. */
    public record FormPost(String action, Map<String, String> fields) implements Outcome {
    }

    /** Our own error page: used whenever the redirect target cannot be trusted. */
    public record ErrorPage(int status, String error, String description) implements Outcome {
    }

    /**
     * Verifies the code of a magic link or of auth0.js, then sends the browser to the client's registered
     * {@code redirect_uri} with a code ({@code response_type=code}) or with tokens in the fragment (implicit). Query
     * parameters win over the authParams stored with the code at start.
     */
    public Uni<Outcome> verifyRedirect(Map<String, String> query) {
        ClientConfig client;
        try {
            client = clients.find(query.get("client_id"));
        } catch (AuthError e) {
            return Uni.createFrom().item(new ErrorPage(400, e.error(), "Unknown or missing client_id."));
        }
        String connectionName = query.get("connection");
        ConnectionConfig connection = connectionName == null ? null : config.connection(connectionName).orElse(null);
        String raw = query.get("phone_number") != null ? query.get("phone_number") : query.get("email");
        String recipient = connection == null || raw == null
                ? null
                : Recipients.normalise(connection.strategy(), raw).orElse(null);
        Uni<String> stored = recipient == null
                ? Uni.createFrom().nullItem()
                : otp.params(connection.name(), recipient).onFailure().recoverWithNull();
        return stored.chain(json -> {
            Map<String, String> p = new HashMap<>(authParams(json));
            query.forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    p.put(k, v);
                }
            });
            String redirectUri = p.get("redirect_uri");
            if (redirectUri == null && client.callbacks().size() == 1) {
                redirectUri = client.callbacks().getFirst();
            }
            if (redirectUri == null || !client.callbacks().contains(redirectUri)) {
                return Uni.createFrom().item((Outcome) new ErrorPage(400, "invalid_request",
                        "The redirect_uri is missing or not registered for this application."));
            }
            return afterRedirectCheck(client, connection, connectionName, raw, p, redirectUri);
        });
    }

    private Uni<Outcome> afterRedirectCheck(ClientConfig client, ConnectionConfig connection, String connectionName,
            String raw, Map<String, String> p, String redirectUri) {
        return authorize(client, p, redirectUri, () -> {
            String verification = p.get("verification_code");
            if (connectionName == null || raw == null || verification == null) {
                throw AuthError.invalidRequest(
                        "connection, verification_code and phone_number or email are required.");
            }
            ConnectionConfig enabled = CodeVerifier.connection(client, connection, connectionName);
            return tokens.login(client, enabled, raw, verification, true);
        });
    }

    /** Who signs in, asked once the authorize parameters have passed; an {@link AuthError} goes back to the app. */
    @FunctionalInterface
    interface SignIn {

        Uni<UserEntity> user();
    }

    /**
     * The end of every authorization: checks the authorize parameters {@code p} against the client, then signs the
     * user in and answers at {@code redirectUri} (already checked against the client's callbacks) with a code or with
     * tokens, in the requested response mode. Used by verify_redirect and by {@code /authorize} with a login ticket.
     */
    Uni<Outcome> authorize(ClientConfig client, Map<String, String> p, String redirectUri, SignIn signIn) {
        String responseType = p.getOrDefault("response_type", "code").strip();
        boolean code = "code".equals(responseType);
        String mode = p.getOrDefault("response_mode", code ? "query" : "fragment");
        Responder respond = new Responder(redirectUri, mode, p.get("state"));
        if (!RESPONSE_TYPES.contains(responseType)) {
            return respond.error("unsupported_response_type", "Unsupported response_type: " + responseType);
        }
        if (!Set.of("query", "fragment", "form_post").contains(mode) || (!code && "query".equals(mode))) {
            return respond.error("invalid_request", "Unsupported response_mode for this response_type: " + mode);
        }
        Set<String> types = Set.of(responseType.split(" "));
        try {
            ClientAuthenticator.requireGrant(client, code ? Grants.AUTHORIZATION_CODE : Grants.IMPLICIT);
        } catch (AuthError e) {
            return respond.error("unauthorized_client", e.description());
        }
        String challenge = p.get("code_challenge");
        if (code && challenge != null && !"S256".equals(p.getOrDefault("code_challenge_method", "plain"))) {
            return respond.error("invalid_request", "code_challenge_method must be S256.");
        }
        if (code && challenge == null && !client.confidential()) {
            return respond.error("invalid_request", "Public clients must send code_challenge (PKCE, S256).");
        }
        String nonce = p.get("nonce");
        if (types.contains("id_token") && nonce == null) {
            return respond.error("invalid_request", "Nonce is required when response_type includes id_token.");
        }
        Api api;
        Uni<UserEntity> user;
        try {
            api = tokens.userApi(p.get("audience"));
            user = signIn.user();
        } catch (AuthError e) {
            return respond.error(e.error(), e.description());
        }
        Set<String> scopes = new LinkedHashSet<>(TokenIssuer.grantable(Scopes.parse(p.get("scope")), api));
        if (types.contains("id_token")) {
            scopes.add(Scopes.OPENID);
        }
        Instant now = clock.instant();
        return user.chain(u -> {
            if (code) {
                String authorizationCode = OpaqueTokens.random(32);
                var grant = new AuthorizationCodes.Grant(client.clientId(), u.userId, redirectUri,
                        List.copyOf(scopes), api == null ? null : api.identifier(), nonce, challenge,
                        challenge == null ? null : "S256", now.getEpochSecond());
                return authorizationCodes.save(authorizationCode, grant, settings.authorizationCodeTtl())
                        .map(x -> respond.with(Map.of("code", authorizationCode)));
            }
            Set<String> implicit = new LinkedHashSet<>(scopes);
            implicit.remove(Scopes.OFFLINE_ACCESS); // no refresh tokens through the browser
            return issuer.forUser(new UserGrant(Grants.IMPLICIT, client, u, implicit, api, nonce, now,
                    Refresh.NONE, types.contains("token"))).map(t -> {
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
                        return respond.with(f);
                    });
        }).onFailure(AuthError.class).recoverWithUni(e -> {
            AuthError a = (AuthError) e;
            String error = "invalid_grant".equals(a.error()) || "unauthorized".equals(a.error())
                    ? "access_denied"
                    : a.error();
            return respond.error(error, a.description());
        });
    }

    /**
     * The legacy {@code POST /passwordless/verify}. With {@code verification_code} (what auth0.js sends before it
     * redirects to verify_redirect) it checks the code and leaves it in place; with {@code grant_type=password} it
     * logs in and returns tokens (Auth0's deprecated resource-owner form).
     */
    public Uni<TokenResponse> verify(TokenRequest r) {
        try {
            if (r.param("verification_code") != null) {
                ClientConfig client = clients.find(r.clientId());
                String name = r.required("connection");
                ConnectionConfig connection = CodeVerifier.connection(client, config.connection(name).orElse(null),
                        name);
                String raw = r.param("phone_number") != null ? r.param("phone_number") : r.required("email");
                return codes.verify(client, connection, raw, r.param("verification_code"), false)
                        .map(v -> (TokenResponse) null);
            }
            if (!"password".equals(r.grantType())) {
                throw AuthError.invalidRequest("Expected verification_code, or grant_type=password.");
            }
            ClientConfig client = clients.authenticate(r);
            if (!client.grantEnabled(Grants.LEGACY_RO) && !client.grantEnabled(Grants.PASSWORDLESS_OTP)) {
                throw AuthError.unauthorizedClient(Grants.LEGACY_RO);
            }
            String name = r.required("connection");
            ConnectionConfig connection = CodeVerifier.connection(client, config.connection(name).orElse(null), name);
            String username = r.required("username");
            String password = r.required("password");
            Set<String> scopes = TokenIssuer.grantable(Scopes.parse(r.param("scope")), null);
            scopes.remove(Scopes.OFFLINE_ACCESS);
            return tokens.login(client, connection, username, password, true)
                    .chain(user -> issuer.forUser(new UserGrant(Grants.LEGACY_RO, client, user, scopes, null,
                            r.param("nonce"), clock.instant(), Refresh.NONE, false)));
        } catch (AuthError e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Map<String, String> authParams(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> raw = mapper.readValue(json, new TypeReference<Map<String, Object>>() {
            });
            Map<String, String> out = new HashMap<>();
            raw.forEach((k, v) -> {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    out.put(k, v.toString());
                }
            });
            return out;
        } catch (Exception e) {
            LOG.debugf("authParams stored with a code are not a JSON object: %s", e.getMessage());
            return Map.of();
        }
    }

    /** Builds responses to a validated redirect_uri in the requested response mode. */
    private record Responder(String redirectUri, String mode, String state) {

        Uni<Outcome> error(String error, String description) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("error", error);
            f.put("error_description", description);
            return Uni.createFrom().item(with(f));
        }

        Outcome with(Map<String, String> fields) {
            Map<String, String> f = new LinkedHashMap<>(fields);
            if (state != null) {
                f.put("state", state);
            }
            if ("form_post".equals(mode)) {
                return new FormPost(redirectUri, f);
            }
            StringBuilder b = new StringBuilder();
            f.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            if ("fragment".equals(mode)) {
                return new Redirect(redirectUri + "#" + b);
            }
            return new Redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + b);
        }
    }
}
