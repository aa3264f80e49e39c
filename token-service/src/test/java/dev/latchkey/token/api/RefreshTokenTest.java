package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;

/** Refresh tokens: rotation on every use, reuse detection revoking the family, absolute lifetime. */
@QuarkusTest
class RefreshTokenTest {

    private static final List<String> GRANTS = List.of(Grants.PASSWORDLESS_OTP, Grants.REFRESH_TOKEN);

    @Inject
    Fixtures fx;

    private String login(ClientConfig client, ConnectionConfig sms) {
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        return OtpGrantTest.otp(client, null, sms, phone, code, "openid phone offline_access").then()
                .statusCode(200).body("refresh_token", notNullValue()).extract().path("refresh_token");
    }

    static Response refresh(ClientConfig client, String token) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("client_id", client.clientId()).formParam("refresh_token", token).post("/oauth/token");
    }

    @Test
    void everyUseRotatesAndReusingARotatedTokenRevokesTheFamily() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 0, 3600), null);
        String first = login(client, sms);

        Response r1 = refresh(client, first);
        r1.then().statusCode(200).body("refresh_token", notNullValue()).body("id_token", notNullValue());
        String second = r1.path("refresh_token");
        assertNotEquals(first, second);
        String sub = Jwts.verify(r1.path("id_token")).getSubject();

        Response r2 = refresh(client, second);
        r2.then().statusCode(200);
        String third = r2.path("refresh_token");
        assertEquals(sub, Jwts.verify(r2.path("access_token")).getSubject());

        // The first token again: theft. It is refused and so is everything of its family, including the newest.
        refresh(client, first).then().statusCode(403).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Unknown or invalid refresh token."));
        refresh(client, third).then().statusCode(403).body("error", equalTo("invalid_grant"));

        // Another family of the same user is untouched.
        String other = login(client, sms);
        refresh(client, other).then().statusCode(200);
    }

    @Test
    void aTokenIsGoodOnlyForItsClient() {
        ConnectionConfig sms = fx.sms();
        ClientConfig a = fx.client(null, List.of(sms.name()), GRANTS, null, null);
        ClientConfig b = fx.client(null, List.of(sms.name()), GRANTS, null, null);
        String token = login(a, sms);
        refresh(b, token).then().statusCode(403).body("error", equalTo("invalid_grant"));
        refresh(a, token).then().statusCode(200);
    }

    @Test
    void theFamilyEndsAtItsAbsoluteLifetime() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 0, 2), null);
        String token = login(client, sms);
        String next = refresh(client, token).then().statusCode(200).extract().path("refresh_token");
        Thread.sleep(2200);
        refresh(client, next).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    @Test
    void nonRotatingClientsKeepTheirToken() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(false, 0, 3600), null);
        String token = login(client, sms);
        refresh(client, token).then().statusCode(200).body("refresh_token", nullValue())
                .body("access_token", notNullValue());
        refresh(client, token).then().statusCode(200);
    }

    @Test
    void withoutTheRefreshGrantNoRefreshTokenIsIssued() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), List.of(Grants.PASSWORDLESS_OTP), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        OtpGrantTest.otp(client, null, sms, phone, code, "openid offline_access").then().statusCode(200)
                .body("refresh_token", nullValue());
    }
}
