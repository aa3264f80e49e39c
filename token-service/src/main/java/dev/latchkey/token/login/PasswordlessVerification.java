package dev.latchkey.token.login;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.token.grant.ClientAuthenticator;
import dev.latchkey.token.grant.CodeVerifier;
import dev.latchkey.token.grant.LegacyRoGrant;
import dev.latchkey.token.grant.PasswordlessOtpGrant;
import dev.latchkey.token.grant.TokenResponse;
import dev.latchkey.token.login.AuthorizationRules.Accepted;
import dev.latchkey.token.login.AuthorizationRules.Refused;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.OtpStore;

/**
 * The passwordless endpoints besides {@code /oauth/token}: {@code GET /passwordless/verify_redirect} (magic links and
 * auth0.js {@code passwordlessVerify}) and the legacy {@code POST /passwordless/verify}.
 */
@ApplicationScoped
public class PasswordlessVerification {

    private static final Logger LOG = Logger.getLogger(PasswordlessVerification.class);

    private final ClientAuthenticator clients;
    private final ConfigView config;
    private final CodeVerifier codes;
    private final PasswordlessOtpGrant otpGrant;
    private final LegacyRoGrant legacyGrant;
    private final AuthorizationRules rules;
    private final Authorizations authorizations;
    private final OtpStore otp;
    private final ObjectMapper mapper;

    public PasswordlessVerification(ClientAuthenticator clients, ConfigView config, CodeVerifier codes,
            PasswordlessOtpGrant otpGrant, LegacyRoGrant legacyGrant, AuthorizationRules rules,
            Authorizations authorizations, OtpStore otp, ObjectMapper mapper) {
        this.clients = clients;
        this.config = config;
        this.codes = codes;
        this.otpGrant = otpGrant;
        this.legacyGrant = legacyGrant;
        this.rules = rules;
        this.authorizations = authorizations;
        this.otp = otp;
        this.mapper = mapper;
    }

    /**
     * Verifies the code of a magic link or of auth0.js, then sends the browser to the client's registered
     * {@code redirect_uri} with a code ({@code response_type=code}, the default here) or with tokens in the fragment
     * (implicit). Query parameters win over the authParams stored with the code at start.
     */
    public Uni<Outcome> verifyRedirect(Map<String, String> query) {
        ClientConfig client;
        try {
            client = clients.find(query.get("client_id"));
        } catch (AuthError e) {
            return Uni.createFrom().item(AuthorizationRules.unknownClient(e).outcome());
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
            p.putIfAbsent("response_type", "code");
            return switch (rules.check(client, p)) {
                case Refused refused -> Uni.createFrom().item(refused.outcome());
                case Accepted accepted -> authorizations.complete(accepted.request(), () -> {
                    String verification = p.get("verification_code");
                    if (connectionName == null || raw == null || verification == null) {
                        throw AuthError.invalidRequest(
                                "connection, verification_code and phone_number or email are required.");
                    }
                    return otpGrant.signIn(client, codes.connection(client, connectionName), raw, verification);
                });
            };
        });
    }

    /**
     * The legacy {@code POST /passwordless/verify}. With {@code verification_code} (what auth0.js sends before it
     * redirects to verify_redirect) it checks the code and leaves it in place, answering null; with
     * {@code grant_type=password} it logs in and returns tokens ({@link LegacyRoGrant}).
     */
    public Uni<TokenResponse> verify(TokenRequest r) {
        try {
            if (r.param("verification_code") != null) {
                ClientConfig client = clients.find(r.clientId());
                ConnectionConfig connection = codes.connection(client, r.required("connection"));
                String raw = r.param("phone_number") != null ? r.param("phone_number") : r.required("email");
                return codes.verify(client, connection, raw, r.param("verification_code"), false)
                        .map(v -> (TokenResponse) null);
            }
            if (!"password".equals(r.grantType())) {
                throw AuthError.invalidRequest("Expected verification_code, or grant_type=password.");
            }
            return legacyGrant.token(r);
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
}
