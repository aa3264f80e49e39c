package dev.latchkey.token.login;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.grant.ClientAuthenticator;
import dev.latchkey.token.login.AuthorizationRules.Accepted;
import dev.latchkey.token.login.AuthorizationRules.Refused;
import dev.latchkey.token.service.AuthError;

/**
 * Checks a {@code GET /authorize} request before the hosted login page is shown (or a login ticket is taken): the
 * {@link AuthorizationRules} of every authorization, then what only the page needs: no {@code prompt=none} without a
 * login ticket (there is no session to reuse) and a passwordless connection to sign in with.
 */
@ApplicationScoped
public class AuthorizeRequests {

    /** Parameters of the authorize request that the page passes on, as authParams, to start and verify_redirect. */
    public static final List<String> PASSED_ON = List.of("response_type", "redirect_uri", "scope", "state", "nonce",
            "audience", "response_mode", "code_challenge", "code_challenge_method");

    private final ClientAuthenticator clients;
    private final ConfigView config;
    private final AuthorizationRules rules;

    public AuthorizeRequests(ClientAuthenticator clients, ConfigView config, AuthorizationRules rules) {
        this.clients = clients;
        this.config = config;
        this.rules = rules;
    }

    /** The page to show: the request, the connection chosen, the others it could switch to, what to pass on. */
    public record LoginPage(AuthorizationRequest request, ConnectionConfig connection, List<String> otherConnections,
            Map<String, String> authParams) implements Result {

        public ClientConfig client() {
            return request.client();
        }
    }

    /** What {@link #check} decides: the page, or a refusal (our error page, or the error sent back to the app). */
    public sealed interface Result permits LoginPage, Refused {
    }

    public Result check(Map<String, String> q) {
        ClientConfig client;
        try {
            client = clients.find(q.get("client_id"));
        } catch (AuthError e) {
            return AuthorizationRules.unknownClient(e);
        }
        return switch (rules.check(client, q)) {
            case Refused refused -> refused;
            case Accepted accepted -> page(accepted.request(), q);
        };
    }

    private Result page(AuthorizationRequest request, Map<String, String> q) {
        Callback back = request.callback();
        if ("none".equals(q.get("prompt")) && q.get("login_ticket") == null) {
            // There is no login session to reuse: every sign-in asks for a code. A login ticket (Lock's and
            // auth0.js's popup-less passwordlessLogin, prompt=none in an iframe) is the sign-in itself.
            return new Refused(back.error("login_required", "The user must sign in."));
        }
        List<ConnectionConfig> usable = new ArrayList<>();
        for (String name : request.client().connections()) {
            config.connection(name).filter(c -> ConnectionConfig.SMS.equals(c.strategy())
                    || ConnectionConfig.EMAIL.equals(c.strategy())).ifPresent(usable::add);
        }
        ConnectionConfig chosen;
        String asked = q.get("connection");
        if (asked != null && !asked.isBlank()) {
            chosen = usable.stream().filter(c -> c.name().equals(asked)).findFirst().orElse(null);
            if (chosen == null) {
                return new Refused(back.error("invalid_request", "The connection " + asked
                        + " does not exist or is not enabled for this application."));
            }
        } else if (usable.isEmpty()) {
            return new Refused(back.error("invalid_request",
                    "No passwordless connection is enabled for this application."));
        } else {
            chosen = usable.getFirst();
        }
        Map<String, String> pass = new LinkedHashMap<>();
        for (String k : PASSED_ON) {
            String v = q.get(k);
            if (v != null && !v.isEmpty()) {
                pass.put(k, v);
            }
        }
        pass.put("redirect_uri", request.redirectUri());
        List<String> others = usable.stream().map(ConnectionConfig::name).filter(n -> !n.equals(chosen.name()))
                .toList();
        return new LoginPage(request, chosen, others, pass);
    }
}
