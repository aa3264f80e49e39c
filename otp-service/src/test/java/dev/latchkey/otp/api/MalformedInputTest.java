package dev.latchkey.otp.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.latchkey.otp.support.OtpTestProfile;

/**
 * What the framework refuses, answered by common's shared mapper in this service's Auth0 shape with
 * {@code Cache-Control: no-store}: a Content-Type that does not parse, a NUL byte in the URL, an unknown path, a
 * wrong method.
 */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class MalformedInputTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    static void auth0Error(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), r.body());
        Map<?, ?> body = MAPPER.readValue(r.body(), Map.class);
        assertEquals(Set.of("error", "error_description"), body.keySet(), r.body());
        assertEquals(error, body.get("error"), r.body());
        assertFalse(r.body().contains("java.") || r.body().contains("Exception"), r.body());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unparseableContentTypeIsAnInvalidRequest() throws Exception {
        auth0Error(post("/passwordless/start", ";;;/=", "{}"), 400, "invalid_request");
    }

    @Test
    void nulByteInTheUrlIsAnInvalidRequest() throws Exception {
        auth0Error(post("/passwordless/start?connection=%00", "application/json", "{}"), 400, "invalid_request");
    }

    @Test
    void unknownPathAndWrongMethodAreAnsweredInAuth0sShape() throws Exception {
        auth0Error(post("/passwordless/nowhere", "application/json", "{}"), 404, "not_found");
        auth0Error(HTTP.send(HttpRequest.newBuilder(root.resolve("/passwordless/start")).GET().build(),
                HttpResponse.BodyHandlers.ofString()), 405, "method_not_allowed");
    }
}
