package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.as;
import static dev.latchkey.admin.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.FakeTokenService;
import dev.latchkey.admin.support.TestTokens;

/** Users and signing keys are token-service's: the API relays to its internal API with the caller's own token. */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class UserApiTest {

    @AfterEach
    void behave() {
        FakeTokenService.failWith(0);
    }

    @Test
    void listSearchBlockAndDeleteAreRelayedWithTheCallersToken() {
        String id = unique("sms|u");
        String phone = "+1415555" + (1000 + (int) (Math.random() * 8999));
        FakeTokenService.addUser(id, phone);
        String token = TestTokens.withScopes("read:users", "update:users", "delete:users");

        as(token).queryParam("q", phone).queryParam("per_page", 10).queryParam("include_totals", true)
                .get("/api/v2/users").then().statusCode(200)
                .body("users.user_id", hasItem(id)).body("total", equalTo(1));
        var sent = FakeTokenService.received("/internal/users").getLast();
        assertEquals("GET", sent.method());
        assertEquals("Bearer " + token, sent.authorization());
        assertTrue(sent.query().contains("per_page=10") && sent.query().contains("page=0"), sent.query());
        // Without include_totals the answer is Auth0's plain array.
        as(token).queryParam("q", phone).get("/api/v2/users").then().statusCode(200)
                .body("[0].user_id", equalTo(id));

        as(token).get("/api/v2/users/" + id).then().statusCode(200).body("phone_number", equalTo(phone));
        as(token).body(Map.of("blocked", true)).patch("/api/v2/users/" + id).then().statusCode(200)
                .body("blocked", equalTo(true));
        var patch = FakeTokenService.received("/internal/users/").getLast();
        assertEquals("PATCH", patch.method());
        assertEquals("{\"blocked\":true}", patch.body());
        as(token).body(Map.of("blocked", false)).patch("/api/v2/users/" + id).then().statusCode(200)
                .body("blocked", equalTo(false));

        as(token).body(Map.of("email", "x@example.com")).patch("/api/v2/users/" + id).then().statusCode(400)
                .body("message", equalTo("Payload validation error: Additional properties not allowed: email"));
        as(token).delete("/api/v2/users/" + id).then().statusCode(204);
        as(token).get("/api/v2/users/" + id).then().statusCode(404)
                .body("statusCode", equalTo(404)).body("errorCode", equalTo("inexistent_user"));
    }

    @Test
    void signingKeysAreListedAndRotatedThroughTokenService() {
        String token = TestTokens.withScopes("read:signing_keys", "create:signing_keys");
        as(token).get("/api/v2/keys/signing").then().statusCode(200).body("[0].kid", equalTo("k1"));
        as(token).queryParam("alg", "ES256").post("/api/v2/keys/signing/rotate").then().statusCode(200)
                .body("kid", equalTo("k2")).body("alg", equalTo("ES256"));
        var rotate = FakeTokenService.received("/internal/keys/rotate").getLast();
        assertEquals("Bearer " + token, rotate.authorization());
        assertEquals("alg=ES256", rotate.query());
        as(token).queryParam("alg", "HS256").post("/api/v2/keys/signing/rotate").then().statusCode(400);
    }

    @Test
    void aFailingTokenServiceIsA503InTheApisShape() {
        FakeTokenService.failWith(500);
        String body = as(TestTokens.withScopes("read:users")).get("/api/v2/users").then().statusCode(503)
                .body("statusCode", equalTo(503)).body("errorCode", equalTo("temporarily_unavailable"))
                .extract().asString();
        assertTrue(!body.contains("Exception"), body);
    }
}
