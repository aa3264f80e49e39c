package dev.latchkey.token.service;

import java.util.Map;

/**
 * The parameters of a token or verify request (form or JSON, flattened to strings) and the client credentials of an
 * {@code Authorization: Basic} header, if any.
 */
public record TokenRequest(Map<String, String> params, String basicClientId, String basicClientSecret,
        String remoteAddress) {

    public TokenRequest {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = param(name);
        if (v == null) {
            throw AuthError.invalidRequest("Missing required parameter: " + name);
        }
        return v;
    }

    public String clientId() {
        return basicClientId != null ? basicClientId : param("client_id");
    }

    public String clientSecret() {
        return basicClientSecret != null ? basicClientSecret : param("client_secret");
    }

    public String grantType() {
        return param("grant_type");
    }
}
