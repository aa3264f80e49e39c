package dev.latchkey.otp.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.otp.config.OtpConfig;

/**
 * Magic links: token-service's {@code /passwordless/verify_redirect} with the parameters Auth0's links carry
 * ({@code client_id}, {@code connection}, {@code email}, {@code verification_code}, and the authParams given at start).
 * The link holds the code in clear, so it travels only encrypted, like the code.
 */
@ApplicationScoped
public class MagicLinks {

    /** authParams copied into the link, in this order. */
    static final String[] LINK_PARAMS = {"scope", "response_type", "response_mode", "redirect_uri", "audience",
            "state", "nonce", "code_challenge", "code_challenge_method"};

    private final String base;

    public MagicLinks(OtpConfig config) {
        String url = config.link().baseUrl().strip();
        this.base = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/passwordless/verify_redirect";
    }

    public String link(String clientId, String connection, String email, String code, Map<String, String> authParams) {
        StringBuilder b = new StringBuilder(base).append('?');
        append(b, "client_id", clientId);
        append(b, "connection", connection);
        append(b, "email", email);
        append(b, "verification_code", code);
        for (String p : LINK_PARAMS) {
            String v = authParams.get(p);
            if (v != null) {
                append(b, p, v);
            }
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private static void append(StringBuilder b, String name, String value) {
        b.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
    }
}
