package dev.latchkey.token.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.grant.ClientAuthenticator;
import dev.latchkey.token.login.PasswordlessService.ErrorPage;
import dev.latchkey.token.login.PasswordlessService.Outcome;
import dev.latchkey.token.login.PasswordlessService.Redirect;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;

/**
 * Checks a {@code GET /authorize} request before the hosted login page is shown. The same rules as
 * {@code /passwordless/verify_redirect} (where the page ends), checked up front so the person is not asked for a code
 * that cannot lead anywhere. An untrusted redirect_uri gets our error page; other errors go back to the app.
 */
@ApplicationScoped
public class AuthorizeRequests {

    /** Parameters of the authorize request that the page passes on, as authParams, to start and verify_redirect. */
    public static final List<String> PASSED_ON = List.of("response_type", "redirect_uri", "scope", "state", "nonce",
            "audience", "response_mode", "code_challenge", "code_challenge_method");
    private static final Set<String> RESPONSE_TYPES = Set.of("code", "token", "id_token", "id_token token",
            "token id_token");

    private final ClientAuthenticator clients;
    private final ConfigView config;

    public AuthorizeRequests(ClientAuthenticator clients, ConfigView config) {
        this.clients = clients;
        this.config = config;
    }

    /** The page to show: the client, the connection chosen, the others it could switch to, what to pass on. */
    public record LoginPage(ClientConfig client, ConnectionConfig connection, List<String> otherConnections,
            Map<String, String> authParams) implements Result {
    }

    /** The request cannot lead to a login: our error page, or the error sent back to the app. */
    public record Refused(Outcome outcome) implements Result {
    }

    /** What {@link #check} decides. */
    public sealed interface Result permits LoginPage, Refused {
    }

    public Result check(Map<String, String> q) {
        ClientConfig client;
        try {
            client = clients.find(q.get("client_id"));
        } catch (AuthError e) {
            return new Refused(new ErrorPage(400, e.error(), "Unknown or missing client_id."));
        }
        String redirectUri = q.get("redirect_uri");
        if (redirectUri == null && client.callbacks().size() == 1) {
            redirectUri = client.callbacks().getFirst();
        }
        if (redirectUri == null || !client.callbacks().contains(redirectUri)) {
            return new Refused(new ErrorPage(400, "invalid_request",
                    "The redirect_uri is missing or not registered for this application."));
        }
        String responseType = q.getOrDefault("response_type", "").strip();
        boolean code = "code".equals(responseType);
        String mode = q.getOrDefault("response_mode", code ? "query" : "fragment");
        Back back = new Back(redirectUri, "form_post".equals(mode) ? (code ? "query" : "fragment") : mode,
                q.get("state"));
        if (!RESPONSE_TYPES.contains(responseType)) {
            return back.error("unsupported_response_type",
                    "response_type must be code, token, id_token or \"id_token token\".");
        }
        if (!Set.of("query", "fragment", "form_post").contains(mode) || (!code && "query".equals(mode))) {
            return back.error("invalid_request", "Unsupported response_mode for this response_type: " + mode);
        }
        if (!client.grantEnabled(code ? Grants.AUTHORIZATION_CODE : Grants.IMPLICIT)) {
            return back.error("unauthorized_client", "The client is not allowed the "
                    + (code ? Grants.AUTHORIZATION_CODE : Grants.IMPLICIT) + " grant.");
        }
        String challenge = q.get("code_challenge");
        if (code && challenge != null && !"S256".equals(q.getOrDefault("code_challenge_method", "plain"))) {
            return back.error("invalid_request", "code_challenge_method must be S256.");
        }
        if (code && challenge == null && !client.confidential()) {
            return back.error("invalid_request", "Public clients must send code_challenge (PKCE, S256).");
        }
        if (!code && Set.of(responseType.split(" ")).contains("id_token") && q.get("nonce") == null) {
            return back.error("invalid_request", "Nonce is required when response_type includes id_token.");
        }
        if ("none".equals(q.get("prompt"))) {
            // There is no login session to reuse: every sign-in asks for a code.
            return back.error("login_required", "The user must sign in.");
        }
        List<ConnectionConfig> usable = new ArrayList<>();
        for (String name : client.connections()) {
            config.connection(name).filter(c -> ConnectionConfig.SMS.equals(c.strategy())
                    || ConnectionConfig.EMAIL.equals(c.strategy())).ifPresent(usable::add);
        }
        ConnectionConfig chosen;
        String asked = q.get("connection");
        if (asked != null && !asked.isBlank()) {
            chosen = usable.stream().filter(c -> c.name().equals(asked)).findFirst().orElse(null);
            if (chosen == null) {
                return back.error("invalid_request", "The connection " + asked
                        + " does not exist or is not enabled for this application.");
            }
        } else if (usable.isEmpty()) {
            return back.error("invalid_request", "No passwordless connection is enabled for this application.");
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
        pass.put("redirect_uri", redirectUri);
        List<String> others = usable.stream().map(ConnectionConfig::name).filter(n -> !n.equals(chosen.name()))
                .toList();
        return new LoginPage(client, chosen, others, pass);
    }

    /** Errors sent back to a registered redirect_uri, as the app expects them. */
    private record Back(String redirectUri, String mode, String state) {

        Refused error(String error, String description) {
            StringBuilder b = new StringBuilder("error=").append(enc(error)).append("&error_description=")
                    .append(enc(description));
            if (state != null) {
                b.append("&state=").append(enc(state));
            }
            if ("fragment".equals(mode)) {
                return new Refused(new Redirect(redirectUri + "#" + b));
            }
            return new Refused(new Redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + b));
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
