package dev.latchkey.admin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.TestTokens;

/**
 * Malformed input to the Management API is the caller's fault (issue 20 §3): deeply nested JSON, a Content-Type that
 * does not parse, a NUL byte in a query. Each gets a 400 in Auth0's Management shape with its {@code errorCode},
 * never a 5xx, a stack trace or a class name.
 */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class MalformedInputTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path))
                .header("Authorization", "Bearer " + TestTokens.all())
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void badRequest(HttpResponse<String> r, String errorCode) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), r.body());
        Map<?, ?> body = MAPPER.readValue(r.body(), Map.class);
        assertEquals(Set.of("statusCode", "error", "message", "errorCode"), body.keySet(), r.body());
        assertEquals(400, body.get("statusCode"), r.body());
        assertEquals("Bad Request", body.get("error"), r.body());
        assertEquals(errorCode, body.get("errorCode"), r.body());
        assertFalse(r.body().contains("java.") || r.body().contains("Exception"), r.body());
    }

    static String nested(int depth) {
        return "{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/clients", "/api/v2/connections"})
    void jsonNestedThousandsDeepIsAnInvalidBody(String path) throws Exception {
        badRequest(send("POST", path, "application/json", nested(5_000)), "invalid_body");
        badRequest(send("POST", path, "application/json", nested(10_000)), "invalid_body");
        badRequest(send("POST", path, "application/json", "{\"a\":".repeat(8_000) + "1" + "}".repeat(8_000)),
                "invalid_body");
        badRequest(send("POST", path, "application/json", nested(1_000)), "invalid_body");
    }

    @Test
    void jsonNestedTooDeeplyInAPatchIsAnInvalidBody() throws Exception {
        badRequest(send("PATCH", "/api/v2/clients/nobody", "application/json", nested(6_000)), "invalid_body");
    }

    /** The console's sign-in form is decoded by the framework's form parser: a broken escape there is a 400 too. */
    @ParameterizedTest
    @ValueSource(strings = {"token=%zz", "token=%", "%E0%A4%A=x"})
    void badPercentEncodingInTheConsoleFormIsABadRequest(String form) throws Exception {
        badRequest(send("POST", "/console/login", "application/x-www-form-urlencoded", form), "invalid_body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/clients", "/api/v2/connections"})
    void unparseableContentTypeIsABadRequest(String path) throws Exception {
        badRequest(send("POST", path, ";;;/=", "{}"), "invalid_header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/users?q=a%00b", "/api/v2/users?identifier=%00", "/api/v2/clients/a%00b",
            "/api/v2/users/auth0%7C%00"})
    void nulByteInTheUrlIsAnInvalidQueryString(String pathAndQuery) throws Exception {
        badRequest(send("GET", pathAndQuery, null, null), "invalid_query_string");
    }
}
