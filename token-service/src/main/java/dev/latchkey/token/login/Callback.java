package dev.latchkey.token.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.latchkey.token.login.Outcome.FormPost;
import dev.latchkey.token.login.Outcome.Redirect;

/**
 * The answer to an authorization request at its registered {@code redirect_uri}, success or error alike, in the
 * response mode asked for: the fields in the query, in the fragment, or in a form posted there (OAuth 2.0 Form Post
 * Response Mode), with the request's {@code state}.
 */
public record Callback(String redirectUri, String mode, String state) {

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
        StringBuilder b = new StringBuilder();
        f.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        if ("fragment".equals(mode)) {
            return new Redirect(redirectUri + "#" + b);
        }
        return new Redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + b);
    }
}
