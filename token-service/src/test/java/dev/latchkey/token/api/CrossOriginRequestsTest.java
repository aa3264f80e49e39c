package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.service.Grants;

/**
 * CORS decisions of token-service: preflights answered for origins some client lists, the actual request checked
 * against its own client; discovery, JWKS and userinfo readable from anywhere; same-origin use untouched.
 */
@QuarkusTest
class CrossOriginRequestsTest {

    @Inject
    Fixtures fx;
    @TestHTTPResource("/")
    URI root;

    static Response otpGrant(String origin, ClientConfig client, ConnectionConfig connection, String username,
            String otp) {
        return given().contentType(ContentType.URLENC).header("Origin", origin)
                .formParam("grant_type", Grants.PASSWORDLESS_OTP).formParam("client_id", client.clientId())
                .formParam("realm", connection.name()).formParam("username", username).formParam("otp", otp)
                .formParam("scope", "openid").post("/oauth/token");
    }

    @Test
    void preflightsAreAnsweredForAnOriginSomeClientListsAndRefusedOtherwise() {
        String app = "https://" + Fixtures.unique("app") + ".example.com";
        for (String path : new String[]{"/oauth/token", "/passwordless/verify", "/co/authenticate"}) {
            given().header("Origin", app).header("Access-Control-Request-Method", "POST").options(path).then()
                    .statusCode(403).header("Access-Control-Allow-Origin", nullValue())
                    .body("error", equalTo("access_denied"));
        }
        fx.originClient(app, fx.email().name());
        for (String path : new String[]{"/oauth/token", "/passwordless/verify", "/co/authenticate"}) {
            given().header("Origin", app).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "Content-Type, Auth0-Client, X-Custom")
                    .options(path).then().statusCode(204)
                    .header("Access-Control-Allow-Origin", app)
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Access-Control-Allow-Headers", "Content-Type, Auth0-Client")
                    .header("Access-Control-Max-Age", "600");
        }
    }

    @Test
    void anOriginListedByOneClientCannotUseAnother() {
        String app = "https://" + Fixtures.unique("app") + ".example.com";
        ConnectionConfig sms = fx.sms();
        ClientConfig mine = fx.originClient(app, sms.name());
        ClientConfig theirs = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(theirs, sms, phone, code);

        Response refused = otpGrant(app, theirs, sms, phone, code);
        refused.then().statusCode(403).body("error", equalTo("access_denied"));
        assertNull(refused.header("Access-Control-Allow-Origin"));
        assertTrue(fx.codeExists(sms, phone), "the code was not tried");
        given().contentType(ContentType.JSON).header("Origin", app)
                .body(Map.of("client_id", theirs.clientId(), "connection", sms.name(), "phone_number", phone,
                        "verification_code", code))
                .post("/passwordless/verify").then().statusCode(403).body("error", equalTo("access_denied"))
                .header("Access-Control-Allow-Origin", nullValue());

        String myPhone = Fixtures.phoneNumber();
        String myCode = Fixtures.code();
        fx.issue(mine, sms, myPhone, myCode);
        // auth0.js passwordlessVerify checks the code first: readable from the app's origin.
        given().contentType(ContentType.JSON).header("Origin", app)
                .body(Map.of("client_id", mine.clientId(), "connection", sms.name(), "phone_number", myPhone,
                        "verification_code", myCode))
                .post("/passwordless/verify").then().statusCode(200)
                .header("Access-Control-Allow-Origin", app).header("Access-Control-Allow-Credentials", "true");
        otpGrant(app, mine, sms, myPhone, myCode).then().statusCode(200)
                .header("Access-Control-Allow-Origin", app).header("Vary", equalTo("Origin"));
    }

    /** Auth0's wildcard subdomain: a client of many tenants' sites lists them once. */
    @Test
    void aWildcardOriginAdmitsEachSubdomainAndNothingElse() {
        String domain = Fixtures.unique("tenants") + ".example.com";
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.originClient("https://*." + domain, sms.name());
        for (String tenant : new String[]{"https://acme." + domain, "https://globex." + domain}) {
            given().header("Origin", tenant).header("Access-Control-Request-Method", "POST").options("/oauth/token")
                    .then().statusCode(204).header("Access-Control-Allow-Origin", tenant);
            String phone = Fixtures.phoneNumber();
            String code = Fixtures.code();
            fx.issue(client, sms, phone, code);
            otpGrant(tenant, client, sms, phone, code).then().statusCode(200)
                    .header("Access-Control-Allow-Origin", tenant);
        }
        for (String other : new String[]{"https://" + domain, "https://a.b." + domain, "http://acme." + domain,
                "https://acme." + domain + ".evil.net"}) {
            String phone = Fixtures.phoneNumber();
            String code = Fixtures.code();
            fx.issue(client, sms, phone, code);
            Response refused = otpGrant(other, client, sms, phone, code);
            refused.then().statusCode(403).body("error", equalTo("access_denied"));
            assertNull(refused.header("Access-Control-Allow-Origin"), other);
            assertTrue(fx.codeExists(sms, phone), "the code was not tried from " + other);
        }
    }

    @Test
    void errorsForAnAllowedOriginAreReadableThereInTheApisFormat() {
        String app = "https://" + Fixtures.unique("app") + ".example.com";
        ConnectionConfig sms = fx.sms();
        ClientConfig mine = fx.originClient(app, sms.name());
        String phone = Fixtures.phoneNumber();
        fx.issue(mine, sms, phone, Fixtures.code());
        Response r = otpGrant(app, mine, sms, phone, "12345678");
        r.then().statusCode(403).header("Access-Control-Allow-Origin", app)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Wrong phone number or verification code."));
        assertEquals(2, r.jsonPath().getMap("").size(), r.asString());
    }

    @Test
    void discoveryJwksAndUserinfoAreOpenToEveryOriginWithoutCredentials() {
        given().header("Origin", "https://anyone.example.org").get("/.well-known/jwks.json").then()
                .statusCode(200).header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Credentials", nullValue());
        given().header("Origin", "https://anyone.example.org").get("/.well-known/openid-configuration").then()
                .statusCode(200).header("Access-Control-Allow-Origin", "*");
        given().header("Origin", "https://anyone.example.org").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").options("/userinfo").then()
                .statusCode(204).header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Headers", "authorization");
        // Not a cross-origin endpoint: no CORS headers at all.
        given().header("Origin", "https://anyone.example.org").get("/authorize").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void sameOriginRequestsAreNotCrossOrigin() {
        // The hosted login page calls /passwordless/verify from the service's own origin, whatever the client lists.
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String self = "http://" + root.getHost() + ":" + root.getPort();
        given().contentType(ContentType.JSON).header("Origin", self)
                .body(Map.of("client_id", client.clientId(), "connection", sms.name(), "phone_number", phone,
                        "verification_code", code))
                .post("/passwordless/verify").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
