package dev.latchkey.otp.api;

import static dev.latchkey.otp.support.Starts.body;
import static dev.latchkey.otp.support.Starts.start;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.otp.support.DeliveryTopics;
import dev.latchkey.otp.support.OtpTestProfile;
import dev.latchkey.otp.support.Starts;
import dev.latchkey.otp.support.Tenant;

/** Every refusal of a start, in Auth0's shape and with Auth0's codes; none of them writes or sends anything. */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class StartErrorsTest {

    @Inject
    ConfigView view;
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @TestHTTPResource("/passwordless/start")
    URI startUri;

    Tenant tenant;
    ConnectionConfig sms;
    ConnectionConfig email;
    String clientId;

    @BeforeEach
    void tenant() {
        tenant = new Tenant(view);
        sms = tenant.connection("sms");
        email = tenant.connection("email");
        clientId = tenant.client(sms, email).clientId();
    }

    @AfterEach
    void close() {
        tenant.close();
    }

    /** Asserts Auth0's error shape: exactly error and error_description, no Java in sight. */
    static void auth0Error(Response r, int status, String error, String description) {
        assertEquals(status, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        Map<String, Object> body = r.jsonPath().getMap("");
        assertEquals(java.util.Set.of("error", "error_description"), body.keySet(), r.asString());
        assertEquals(error, body.get("error"), r.asString());
        if (description != null) {
            assertEquals(description, body.get("error_description"));
        }
        String text = r.asString();
        assertFalse(text.contains("Exception") || text.contains("java.") || text.contains("dev.latchkey")
                || text.contains("\tat "), "no Java in an error body: " + text);
    }

    @Test
    void malformedBodiesAre400NotServerErrors() {
        auth0Error(given().contentType("application/json").body("{\"client_id\": ").post("/passwordless/start"), 400,
                "bad.request", "The request body is not valid JSON");
        auth0Error(given().contentType("application/json").body("[1,2]").post("/passwordless/start"), 400,
                "bad.request", "The request body must be a JSON object");
        auth0Error(given().contentType("application/json").body("{\"a\":1,\"a\":2}").post("/passwordless/start"), 400,
                "bad.request", "The request body is not valid JSON");
        auth0Error(given().contentType("application/json").post("/passwordless/start"), 400, "bad.client_id",
                "Missing required property: client_id");
        auth0Error(given().contentType("text/plain").body("client_id=x").post("/passwordless/start"), 415,
                "bad.request", "Content-Type must be application/json");
        auth0Error(given().get("/passwordless/start"), 405, "method_not_allowed", null);
    }

    @Test
    void unknownPropertiesAreNamed() {
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                "tenant", "x", "code", "123456")), 400, "bad.request",
                "the following properties are not allowed: tenant, code");
    }

    @Test
    void wrongTypesAndMissingPropertiesGetTheFieldsCode() {
        auth0Error(start(body("connection", sms.name(), "phone_number", Tenant.phone())), 400, "bad.client_id",
                "Missing required property: client_id");
        auth0Error(start(body("client_id", clientId, "phone_number", Tenant.phone())), 400, "bad.connection",
                "Missing required property: connection");
        auth0Error(start(body("client_id", 42, "connection", sms.name())), 400, "bad.client_id",
                "error in client_id - invalid type: number (expected string)");
        auth0Error(start(body("client_id", clientId, "connection", true)), 400, "bad.connection",
                "error in connection - invalid type: boolean (expected string)");
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", 15551234567L)), 400,
                "bad.phone_number", "error in phone_number - invalid type: number (expected string)");
        auth0Error(start(body("client_id", clientId, "connection", email.name(), "email", Map.of("a", "b"))), 400,
                "bad.email", "error in email - invalid type: object (expected string)");
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                "send", 1)), 400, "bad.send", null);
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                "authParams", "scope=openid")), 400, "bad.authParams",
                "error in authParams - invalid type: string (expected object)");
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                "authParams", Map.of("scope", java.util.List.of("openid")))), 400, "bad.authParams", null);
    }

    @Test
    void clientsAndConnectionsThatDoNotFit() {
        auth0Error(start(body("client_id", Tenant.unique("nobody"), "connection", sms.name(), "phone_number",
                Tenant.phone())), 400, "bad.client_id", null);
        auth0Error(start(body("client_id", clientId, "connection", Tenant.unique("nope"), "phone_number",
                Tenant.phone())), 400, "bad.connection", "Connection does not exist");

        var disabled = tenant.connection("sms", false, null, Map.of());
        var otherSms = tenant.connection("sms");
        var odd = tenant.connection("database");
        String client = tenant.client(disabled, odd).clientId();
        auth0Error(start(body("client_id", client, "connection", disabled.name(), "phone_number", Tenant.phone())),
                400, "bad.connection", "Connection is disabled");
        auth0Error(start(body("client_id", client, "connection", odd.name(), "phone_number", Tenant.phone())), 400,
                "bad.connection", "Invalid connection strategy. It must either be a passwordless connection");

        // A client that is not enabled for the connection: refused, and nothing written or sent.
        String phone = Recipients.phone(Tenant.phone()).orElseThrow();
        try (var topics = new DeliveryTopics()) {
            auth0Error(start(body("client_id", client, "connection", otherSms.name(), "phone_number", phone)), 400,
                    "bad.connection", "Connection is disabled");
            assertTrue(topics.all(Duration.ofSeconds(1)).stream().noneMatch(r -> phone.equals(r.key())));
        }
        assertFalse(redis.key().exists(OtpState.codeKey(otherSms.name(), phone)));
        assertFalse(redis.key().exists(OtpState.sendsKey(otherSms.name(), phone)));
    }

    @Test
    void confidentialClientsMustAuthenticate() {
        String secret = "s3cret-" + Tenant.unique("x");
        String confidential = tenant.client(secret, sms).clientId();
        var request = body("client_id", confidential, "connection", sms.name(), "phone_number", Tenant.phone());
        auth0Error(start(request), 401, "unauthorized_client", "Client authentication is required");
        request.put("client_secret", secret + "x");
        auth0Error(start(request), 401, "access_denied", "Unauthorized");
        request.put("client_secret", secret);
        start(request).then().statusCode(200);

        // A back end that proved its secret names the end user's address (auth0-forwarded-for); the per-IP limit
        // counts that address. From a public client the header means nothing.
        String user = Starts.ip();
        given().contentType("application/json").header("auth0-forwarded-for", user)
                .body(body("client_id", confidential, "client_secret", secret, "connection", sms.name(),
                        "phone_number", Tenant.phone()))
                .post("/passwordless/start").then().statusCode(200);
        assertTrue(redis.key().exists(Starts.ipLimitKey(user)), "counted for the end user's address");
        String spoofed = Starts.ip();
        given().contentType("application/json").header("X-Forwarded-For", Starts.ip())
                .header("auth0-forwarded-for", spoofed)
                .body(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone()))
                .post("/passwordless/start").then().statusCode(200);
        assertFalse(redis.key().exists(Starts.ipLimitKey(spoofed)), "a public client cannot choose its address");
    }

    @Test
    void recipientsAndSendModes() {
        auth0Error(start(body("client_id", clientId, "connection", sms.name())), 400, "bad.phone_number",
                "Missing required property: phone_number");
        for (String bad : new String[]{"15551234567", "+1 555", "+999123456789", "+44abc", ""}) {
            auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", bad)), 400,
                    "bad.phone_number", null);
        }
        auth0Error(start(body("client_id", clientId, "connection", email.name())), 400, "bad.email",
                "Missing required property: email");
        for (String bad : new String[]{"plainaddress", "a@b", "a b@example.com", "@example.com"}) {
            auth0Error(start(body("client_id", clientId, "connection", email.name(), "email", bad)), 400,
                    "bad.email", null);
        }
        // Issue 20 §6: these used to get 200 and no mail (the mailer refuses them, or reads "a<b@…>" as b@…).
        for (String bad : new String[]{"a<b@example.com>", "a,b@example.com", "x@example.com(y)",
                "jo..e@example.com", "joé@example.com", "joe@exam_ple.com", "\"joe\"@example.com"}) {
            auth0Error(start(body("client_id", clientId, "connection", email.name(), "email", bad)), 400,
                    "bad.email", "The email address is not valid");
        }
        auth0Error(start(body("client_id", clientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                "send", "link")), 400, "bad.send", null);
        auth0Error(start(body("client_id", clientId, "connection", email.name(), "email", Tenant.email(), "send",
                "carrier-pigeon")), 400, "bad.send", "send must be code or link");
        auth0Error(start(body("client_id", clientId, "connection", email.name(), "email", Tenant.email(), "send",
                "link", "authParams", Map.of("redirect_uri", "https://evil.example/steal"))), 400, "bad.authParams",
                null);
    }

    @Test
    void bodiesOver16KiBAre413InAuth0sShape() throws Exception {
        String padding = "x".repeat(17 * 1024);
        String big = mapper.writeValueAsString(body("client_id", clientId, "connection", sms.name(), "phone_number",
                Tenant.phone(), "authParams", Map.of("state", padding)));
        auth0Error(given().contentType("application/json").body(big).post("/passwordless/start"), 413,
                "bad.request", "The request body is larger than 16384 bytes");

        // The same without a Content-Length (chunked): cut while it is read, same answer.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(startUri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        Map<?, ?> error = mapper.readValue(chunked.body(), Map.class);
        assertEquals("bad.request", error.get("error"));
    }

    @Test
    void aClientThatOffersHttp2GetsTheSameAnswers() throws Exception {
        // Java's HttpClient (like others) asks to upgrade a plain-HTTP request to HTTP/2 (h2c) by default; the answer
        // must not depend on it (Quarkus 3.33 fails a POST body upgraded to HTTP/2 with a 500: HTTP/2 is off).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (String body : new String[]{"{}", mapper.writeValueAsString(body("client_id", clientId, "connection",
                sms.name(), "phone_number", "not a number"))}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(startUri).header("Content-Type",
                    "application/json").header("X-Forwarded-For", Starts.ip())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(mapper.readValue(r.body(), Map.class).get("error").toString().startsWith("bad."), r.body());
        }
    }
}
