package dev.latchkey.token.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.token.Fixtures;

/**
 * Malformed input is the caller's fault: each case here once answered 500 (issue 20 §3) and now gets Auth0's
 * {@code {"error":"invalid_request","error_description"}} with a 400, naming no Java class.
 */
@QuarkusTest
class MalformedInputTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI root;
    @Inject
    ObjectMapper mapper;
    @Inject
    Fixtures fx;
    @Inject
    AuthConfig auth;

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void invalidRequest(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = mapper.readValue(r.body(), Map.class);
        assertEquals(java.util.Set.of("error", "error_description"), body.keySet(), r.body());
        assertEquals("invalid_request", body.get("error"), r.body());
        assertFalse(r.body().contains("java.") || r.body().contains("Exception"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/co/authenticate", "/passwordless/verify"})
    void unparseableContentTypeIsABadRequest(String path) throws Exception {
        invalidRequest(post(path, ";;;/=", "{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/co/authenticate", "/passwordless/verify"})
    void badPercentEncodingInAFormIsABadRequest(String path) throws Exception {
        invalidRequest(post(path, "application/x-www-form-urlencoded", "grant_type=%zz&client_id=%E0%A4%A"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/co/authenticate", "/passwordless/verify"})
    void jsonTooDeepIsABadRequest(String path) throws Exception {
        invalidRequest(post(path, "application/json", "{\"a\":".repeat(8000) + "1" + "}".repeat(8000)));
    }

    @Test
    void bearerTokenWithAJsonArrayHeaderIsAnInvalidToken() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("[\"RS256\"]".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(root.resolve("/userinfo"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"invalid_token\""), r.body());
        assertFalse(r.body().contains("java.") || r.body().contains("Exception"), r.body());
    }

    /** PostgreSQL refuses NUL in text: a search, an identifier or a user id carrying one never reaches it. */
    @ParameterizedTest
    @ValueSource(strings = {"/internal/users?q=a%00b", "/internal/users?identifier=%00",
            "/internal/users?connection=sms%00", "/internal/users/sms%7C%00"})
    void nulByteOrBrokenEscapeInTheUrlIsABadRequest(String pathAndQuery) throws Exception {
        String token = fx.managementToken(auth.managementApiAudience(), ManagementScopes.READ_USERS);
        invalidRequest(HTTP.send(HttpRequest.newBuilder(root.resolve(pathAndQuery))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
}
