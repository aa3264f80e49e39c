package dev.latchkey.token.login;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.grant.Apis;
import dev.latchkey.token.grant.Apis.Api;
import dev.latchkey.token.grant.TokenSetIssuer;
import dev.latchkey.token.login.Outcome.ErrorPage;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.Scopes;

/**
 * The rules every authorization request passes, wherever it arrives: {@code GET /authorize} checks them before the
 * login page is shown (so nobody is asked for a code that cannot lead anywhere), {@code verify_redirect} after the
 * code is typed. A redirect_uri the client has not registered (for {@code web_message}: whose origin it does not
 * allow) gets our error page; any other refusal goes back to it, in the response mode asked for.
 */
@ApplicationScoped
public class AuthorizationRules {

    private static final Set<String> RESPONSE_TYPES = Set.of("code", "token", "id_token", "id_token token",
            "token id_token");
    private static final Set<String> RESPONSE_MODES = Set.of("query", "fragment", "form_post",
            Callback.WEB_MESSAGE);

    private final Apis apis;

    public AuthorizationRules(Apis apis) {
        this.apis = apis;
    }

    /** What {@link #check} decides. */
    public sealed interface Decision permits Accepted, Refused {
    }

    public record Accepted(AuthorizationRequest request) implements Decision {
    }

    /** The request cannot lead to a login: our error page, or the error sent back to the app. */
    public record Refused(Outcome outcome) implements Decision, AuthorizeRequests.Result {
    }

    /** Our error page for a {@code client_id} that names no client (never a redirect: nothing is registered). */
    public static Refused unknownClient(AuthError e) {
        return new Refused(new ErrorPage(400, e.error(), "Unknown or missing client_id."));
    }

    /**
     * Checks the authorize parameters {@code p} against {@code client}: the redirect_uri (the one registered when the
     * client has just one and none is given), response type and mode, the grant, PKCE, nonce, audience.
     */
    public Decision check(ClientConfig client, Map<String, String> p) {
        String redirectUri = p.get("redirect_uri");
        String responseType = p.getOrDefault("response_type", "").strip();
        boolean code = "code".equals(responseType);
        String mode = p.getOrDefault("response_mode", code ? "query" : "fragment");
        if (Callback.WEB_MESSAGE.equals(mode)) {
            // The answer is posted to the framing window at the redirect_uri's origin, never navigated to: what
            // must be registered is that origin (Auth0's "Allowed Web Origins"), as for every cross-origin call.
            if (redirectUri == null || !CrossOriginRequests.allows(client, CrossOriginLogins.origin(redirectUri))) {
                return new Refused(new ErrorPage(400, "invalid_request", "The redirect_uri's origin is not in the "
                        + "allowed_origins of this application (needed for response_mode=web_message)."));
            }
        } else {
            if (redirectUri == null && client.callbacks().size() == 1) {
                redirectUri = client.callbacks().getFirst();
            }
            if (redirectUri == null || !client.callbacks().contains(redirectUri)) {
                return new Refused(new ErrorPage(400, "invalid_request",
                        "The redirect_uri is missing or not registered for this application."));
            }
        }
        Callback back = new Callback(redirectUri, mode, p.get("state"));
        if (!RESPONSE_TYPES.contains(responseType)) {
            return refuse(back, "unsupported_response_type", responseType.isEmpty()
                    ? "Missing required parameter: response_type"
                    : "Unsupported response_type: " + responseType
                            + " (use code, token, id_token or \"id_token token\").");
        }
        if (!RESPONSE_MODES.contains(mode) || (!code && "query".equals(mode))) {
            return refuse(back, "invalid_request", "Unsupported response_mode for this response_type: " + mode);
        }
        String grant = code ? Grants.AUTHORIZATION_CODE : Grants.IMPLICIT;
        if (!client.grantEnabled(grant)) {
            return refuse(back, "unauthorized_client", AuthError.unauthorizedClient(grant).description());
        }
        String challenge = p.get("code_challenge");
        if (code && challenge != null && !"S256".equals(p.getOrDefault("code_challenge_method", "plain"))) {
            return refuse(back, "invalid_request", "code_challenge_method must be S256.");
        }
        if (code && challenge == null && !client.confidential()) {
            return refuse(back, "invalid_request", "Public clients must send code_challenge (PKCE, S256).");
        }
        Set<String> types = Set.of(responseType.split(" "));
        String nonce = p.get("nonce");
        if (types.contains("id_token") && nonce == null) {
            return refuse(back, "invalid_request", "Nonce is required when response_type includes id_token.");
        }
        Api api;
        try {
            api = apis.forUser(p.get("audience"));
        } catch (AuthError e) {
            return refuse(back, e.error(), e.description());
        }
        Set<String> scopes = new LinkedHashSet<>(TokenSetIssuer.grantable(Scopes.parse(p.get("scope")), api));
        if (types.contains("id_token")) {
            scopes.add(Scopes.OPENID);
        }
        return new Accepted(new AuthorizationRequest(client, back, types, nonce, code ? challenge : null, api, scopes));
    }

    private static Refused refuse(Callback back, String error, String description) {
        return new Refused(back.error(error, description));
    }
}
