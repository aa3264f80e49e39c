package dev.latchkey.token.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.TokenRequest;

/** Turns form and JSON bodies (and Basic client credentials) into a {@link TokenRequest}. */
final class Requests {

    private static final int MAX_VALUE = 4096;

    private Requests() {
    }

    static TokenRequest fromForm(MultivaluedMap<String, String> form, String authorization, String remote) {
        Map<String, String> params = new HashMap<>();
        if (form != null) {
            for (Map.Entry<String, List<String>> e : form.entrySet()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    continue;
                }
                if (e.getValue().size() > 1) {
                    throw AuthError.invalidRequest("Parameter given more than once: " + e.getKey());
                }
                put(params, e.getKey(), e.getValue().getFirst());
            }
        }
        return withBasic(params, authorization, remote);
    }

    static TokenRequest fromJson(Map<String, Object> body, String authorization, String remote) {
        Map<String, String> params = new HashMap<>();
        if (body != null) {
            body.forEach((k, v) -> {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    put(params, k, v.toString());
                } else if (v != null) {
                    throw AuthError.invalidRequest("Parameter must be a string: " + k);
                }
            });
        }
        return withBasic(params, authorization, remote);
    }

    /**
     * {@code r}, when its client lists the request's origin or the request is not cross-origin; else 403
     * {@code access_denied}, before anything is verified or spent.
     */
    static TokenRequest admitted(CrossOriginRequests origins, RoutingContext rc, TokenRequest r) {
        if (!origins.admit(rc, r.clientId())) {
            throw AuthError.accessDenied("This origin is not in the client's allowed_origins.");
        }
        return r;
    }

    private static void put(Map<String, String> params, String key, String value) {
        if (key == null || value == null) {
            return;
        }
        if (value.length() > MAX_VALUE) {
            throw AuthError.invalidRequest("Parameter too long: " + key);
        }
        params.put(key, value);
    }

    private static TokenRequest withBasic(Map<String, String> params, String authorization, String remote) {
        String id = null;
        String secret = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw AuthError.invalidClient();
                }
                id = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw AuthError.invalidClient();
            }
            String bodyId = params.get("client_id");
            if (bodyId != null && !bodyId.equals(id)) {
                throw AuthError.invalidRequest("client_id in the body and the Authorization header differ.");
            }
        }
        return new TokenRequest(params, id, secret, remote);
    }
}
