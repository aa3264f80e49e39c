package dev.latchkey.admin.api;

import static dev.latchkey.admin.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.latchkey.admin.support.AdminTestServers;
import dev.latchkey.admin.support.TestTokens;

/** Every call needs a valid token from token-service carrying the scope of the operation. */
@QuarkusTest
@WithTestResource(AdminTestServers.class)
class ScopeEnforcementTest {

    @Test
    void noTokenIs401() {
        given().get("/api/v2/clients").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("statusCode", equalTo(401)).body("error", equalTo("Unauthorized"))
                .body("message", equalTo("Missing authentication"));
        given().get("/api/v2/connections").then().statusCode(401);
        given().get("/api/v2/users").then().statusCode(401);
        given().get("/api/v2/keys/signing").then().statusCode(401);
        given().post("/api/v2/config/resync").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v2/clients").then().statusCode(401);
    }

    @Test
    void wrongScopeIs403() {
        String body = as(TestTokens.withScopes("read:connections")).get("/api/v2/clients").then().statusCode(403)
                .body("statusCode", equalTo(403)).body("error", equalTo("Forbidden"))
                .body("errorCode", equalTo("insufficient_scope"))
                .body("message", containsString("read:clients")).extract().asString();
        assertFalse(body.contains("Exception"), body);
        as(TestTokens.withScopes("read:clients")).body(Map.of("name", "x")).post("/api/v2/clients").then()
                .statusCode(403).body("message", containsString("create:clients"));
        as(TestTokens.withScopes("read:connections")).body(Map.of("name", "x")).patch("/api/v2/connections/sms")
                .then().statusCode(403);
        as(TestTokens.withScopes("read:users")).body(Map.of("blocked", true)).patch("/api/v2/users/sms|1").then()
                .statusCode(403);
        as(TestTokens.withScopes("read:signing_keys")).post("/api/v2/keys/signing/rotate").then().statusCode(403);
        // Resync republishes both kinds: it needs both update scopes.
        as(TestTokens.withScopes("update:clients")).post("/api/v2/config/resync").then().statusCode(403);
        as(TestTokens.withScopes("update:connections")).post("/api/v2/config/resync").then().statusCode(403);
        // The right scope gets through.
        as(TestTokens.withScopes("read:clients")).get("/api/v2/clients").then().statusCode(200);
        as(TestTokens.withScopes("read:connections")).get("/api/v2/connections").then().statusCode(200);
    }

    @Test
    void forgedExpiredAndMisaddressedTokensAre401() {
        as(TestTokens.forged("read:clients")).get("/api/v2/clients").then().statusCode(401)
                .body("message", equalTo("Invalid token")).body("errorCode", equalTo("invalid_token"));
        as(TestTokens.expired("read:clients")).get("/api/v2/clients").then().statusCode(401)
                .body("message", equalTo("Expired token received for JSON Web Token validation"))
                .body("errorCode", equalTo("token_expired"));
        as(TestTokens.withAudience("https://orders.example.com/", "read:clients")).get("/api/v2/clients").then()
                .statusCode(401).body("errorCode", equalTo("invalid_token"));
        as(TestTokens.unsigned("read:clients")).get("/api/v2/clients").then().statusCode(401);
        as("not.a.jwt").get("/api/v2/clients").then().statusCode(401);
    }

    /**
     * The leeway on {@code exp} is the platform's documented 30 s (token-service's {@code latchkey.token.clock-skew}),
     * not smallrye-jwt's default of 60 s: a token 29 s past its expiry still works, one 31 s past it does not.
     */
    @Test
    void expiredTokensAreAcceptedForThirtySecondsOnly() {
        as(TestTokens.expiredSecondsAgo(29, "read:clients")).get("/api/v2/clients").then().statusCode(200);
        as(TestTokens.expiredSecondsAgo(31, "read:clients")).get("/api/v2/clients").then().statusCode(401)
                .body("errorCode", equalTo("token_expired"));
    }
}
