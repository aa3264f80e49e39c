package dev.latchkey.otp.api;

import static dev.latchkey.otp.support.Starts.body;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.otp.support.OtpTestProfile;
import dev.latchkey.otp.support.Starts;
import dev.latchkey.otp.support.Tenant;

/**
 * {@code POST /passwordless/start} from an app's own origin (auth0.js {@code passwordlessStart}): allowed when the
 * client names the origin in {@code allowed_origins}, refused before anything is written or sent otherwise.
 */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class CrossOriginStartTest {

    @Inject
    ConfigView view;
    @Inject
    RedisDataSource redis;
    @TestHTTPResource("/")
    java.net.URI root;

    Tenant tenant;
    ConnectionConfig sms;
    String app;
    String clientId;
    String otherClientId;

    @BeforeEach
    void tenant() {
        tenant = new Tenant(view);
        sms = tenant.connection("sms");
        app = "https://" + Tenant.unique("app") + ".example.test";
        clientId = tenant.client(null, List.of(app), sms).clientId();
        otherClientId = tenant.client(null, List.of(), sms).clientId();
    }

    @AfterEach
    void close() {
        tenant.close();
    }

    @Test
    void preflightFromAnOriginSomeClientListsIsAnsweredWithCredentials() {
        given().header("Origin", app).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,auth0-client,x-request-language")
                .options("/passwordless/start").then().statusCode(204)
                .header("Access-Control-Allow-Origin", app)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", "POST")
                .header("Access-Control-Allow-Headers", "content-type, auth0-client, x-request-language");
    }

    @Test
    void preflightFromAnUnlistedOriginIsRefusedWithoutCorsHeaders() {
        Response r = given().header("Origin", "https://evil.example.test")
                .header("Access-Control-Request-Method", "POST").options("/passwordless/start");
        StartErrorsTest.auth0Error(r, 403, "access_denied", null);
        assertEquals(null, r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void startFromAnAllowedOriginIsReadableThere() {
        String phone = Tenant.phone();
        given().contentType(ContentType.JSON).header("Origin", app).header("X-Forwarded-For", Starts.ip())
                .body(body("client_id", clientId, "connection", sms.name(), "phone_number", phone, "send", "code"))
                .post("/passwordless/start").then().statusCode(200)
                .header("Access-Control-Allow-Origin", app).header("Access-Control-Allow-Credentials", "true")
                .body("phone_number", equalTo(phone));
        assertEquals(1, redis.execute("EXISTS", OtpState.codeKey(sms.name(), phone)).toInteger());
    }

    @Test
    void anOriginOfOneClientCannotStartForAnotherAndNothingIsSent() {
        String phone = Tenant.phone();
        Response r = given().contentType(ContentType.JSON).header("Origin", app)
                .header("X-Forwarded-For", Starts.ip())
                .body(body("client_id", otherClientId, "connection", sms.name(), "phone_number", phone, "send",
                        "code"))
                .post("/passwordless/start");
        StartErrorsTest.auth0Error(r, 403, "access_denied", null);
        assertEquals(null, r.header("Access-Control-Allow-Origin"));
        assertEquals(0, redis.execute("EXISTS", OtpState.codeKey(sms.name(), phone)).toInteger());
    }

    @Test
    void sameOriginRequestsPassWithoutCorsHeaders() {
        // The hosted login page posts from the service's own origin (same Host): not cross-origin at all.
        String phone = Tenant.phone();
        String self = "http://" + root.getHost() + ":" + root.getPort();
        given().contentType(ContentType.JSON).header("Origin", self).header("X-Forwarded-For", Starts.ip())
                .body(body("client_id", otherClientId, "connection", sms.name(), "phone_number", phone, "send",
                        "code"))
                .post("/passwordless/start").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void sameOriginBehindAProxyThatSetsForwardedHeaders() {
        // nginx (deploy/local) and an Ingress send Host, X-Forwarded-Host and X-Forwarded-Proto of the public
        // origin: the hosted login page there is the service's own origin, whatever the client lists.
        for (String[] proxy : new String[][]{{"http", "127.0.0.1:8080", "http://127.0.0.1:8080"},
                {"https", "login.example.test", "https://login.example.test"}}) {
            String phone = Tenant.phone();
            given().contentType(ContentType.JSON).header("Origin", proxy[2]).header("Host", proxy[1])
                    .header("X-Forwarded-Host", proxy[1]).header("X-Forwarded-Proto", proxy[0])
                    .header("X-Forwarded-For", Starts.ip())
                    .body(body("client_id", otherClientId, "connection", sms.name(), "phone_number", phone, "send",
                            "code"))
                    .post("/passwordless/start").then().statusCode(200)
                    .header("Access-Control-Allow-Origin", nullValue());
        }
        // Another scheme on the same host is another origin.
        given().contentType(ContentType.JSON).header("Origin", "http://login.example.test")
                .header("Host", "login.example.test").header("X-Forwarded-Host", "login.example.test")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", Starts.ip())
                .body(body("client_id", otherClientId, "connection", sms.name(), "phone_number", Tenant.phone(),
                        "send", "code"))
                .post("/passwordless/start").then().statusCode(403);
    }
}
