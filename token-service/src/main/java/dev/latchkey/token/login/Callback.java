package dev.latchkey.token.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.latchkey.token.login.Outcome.FormPost;
import dev.latchkey.token.login.Outcome.Redirect;
import dev.latchkey.token.login.Outcome.WebMessage;

/**
 * The answer to an authorization request at its registered {@code redirect_uri}, success or error alike, in the
 * response mode asked for: the fields in the query, in the fragment, or in a form posted there (OAuth 2.0 Form Post
 * Response Mode), or posted as a message to the window that framed the page (web_message), with the request's
 * {@code state}.
 */
public record Callback(String redirectUri, String mode, String state) {

    /** The response mode of auth0.js {@code checkSession} and of Lock: a message posted to the framing window. */
    public static final String WEB_MESSAGE = "web_message";

    public Outcome error(String error, String description) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("error", error);
        f.put("error_description", description);
        return with(f);
    }

    public Outcome with(Map<String, String> fields) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        if (state != null) {
            f.put("state", state);
        }
        if ("form_post".equals(mode)) {
            return new FormPost(redirectUri, f);
        }
        if (WEB_MESSAGE.equals(mode)) {
            return new WebMessage(CrossOriginLogins.origin(redirectUri), f);
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
