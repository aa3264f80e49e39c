package dev.latchkey.token.api;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.token.login.Outcome.WebMessage;

/**
 * The page Auth0 answers {@code response_mode=web_message} with: loaded in a hidden iframe (auth0.js
 * {@code checkSession}, Lock's session probe and its {@code redirect:false} login), it posts
 * {@code {type: "authorization_response", response: {...}}} to the framing window at the target origin only. Only
 * that origin may frame it, and its one script runs by nonce.
 */
@ApplicationScoped
public class WebMessagePage {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectMapper mapper;

    public WebMessagePage(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Response render(WebMessage message) {
        byte[] n = new byte[18];
        RANDOM.nextBytes(n);
        String nonce = Base64.getEncoder().encodeToString(n);
        String body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Authorization Response</title>"
                + "</head><body><script nonce=\"" + nonce + "\">\n(function (window) {\n"
                + "  var targetOrigin = " + json(message.targetOrigin()) + ";\n"
                + "  var authorizationResponse = {type: \"authorization_response\", response: "
                + json(message.fields()) + "};\n"
                + "  var mainWin = window.opener ? window.opener : window.parent;\n"
                + "  mainWin.postMessage(authorizationResponse, targetOrigin);\n"
                + "})(this);\n</script></body></html>\n";
        return Response.ok(body).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce
                        + "'; frame-ancestors " + message.targetOrigin() + "; base-uri 'none'")
                .build();
    }

    private String json(Object o) {
        try {
            // Inside <script>: no "</script>" or "<!--" can be formed from the data.
            return mapper.writeValueAsString(o).replace("<", "\\u003c")
                    .replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("web message is not serialisable", e);
        }
    }
}
