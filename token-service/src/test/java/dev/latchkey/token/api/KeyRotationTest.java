package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWKSet;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;

/** Rotation: the next key is published before it signs; tokens of the old key keep verifying. */
@QuarkusTest
class KeyRotationTest {

    @Inject
    Fixtures fx;

    @Inject
    AuthConfig auth;

    private Map<String, String> login(ClientConfig client, ConnectionConfig sms) {
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        var r = OtpGrantTest.otp(client, null, sms, phone, code, "openid phone").then().statusCode(200).extract();
        return Map.of("id", r.path("id_token"), "access", r.path("access_token"));
    }

    @Test
    void rotationPromotesThePublishedNextKeyAndOldTokensStillVerify() throws Exception {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String secret = Fixtures.secret();
        ClientConfig ops = fx.client(secret, List.of(), List.of(Grants.CLIENT_CREDENTIALS), null,
                Map.of(auth.managementApiAudience(),
                        List.of(ManagementScopes.READ_SIGNING_KEYS, ManagementScopes.CREATE_SIGNING_KEYS)));
        String mgmt = given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", ops.clientId()).formParam("client_secret", secret)
                .formParam("audience", auth.managementApiAudience()).post("/oauth/token").then().statusCode(200)
                .extract().path("access_token");

        Map<String, String> before = login(client, sms);
        String oldKid = Jwts.kid(before.get("id"));
        String nextKid = given().auth().oauth2(mgmt).get("/internal/keys").then().statusCode(200).extract()
                .path("find { it.next && it.alg == 'RS256' }.kid");
        JWKSet published = JWKSet.parse(Jwts.jwks());
        assertTrue(published.getKeyByKeyId(nextKid) != null, "the next key is in the JWKS before it signs");
        assertNotEquals(oldKid, nextKid);

        String promoted = given().auth().oauth2(mgmt).post("/internal/keys/rotate").then().statusCode(200)
                .extract().path("kid");
        assertEquals(nextKid, promoted);

        Map<String, String> after = login(client, sms);
        assertEquals(nextKid, Jwts.kid(after.get("id")));
        assertEquals(nextKid, Jwts.kid(after.get("access")));

        String jwks = Jwts.jwks();
        JWKSet now = JWKSet.parse(jwks);
        assertTrue(now.getKeyByKeyId(oldKid) != null, "the retired key stays published");
        String newNext = given().auth().oauth2(mgmt).get("/internal/keys").then().extract()
                .path("find { it.next && it.alg == 'RS256' }.kid");
        assertTrue(now.getKeyByKeyId(newNext) != null);
        assertNotEquals(nextKid, newNext);

        // Both generations verify with an independent library, and this service still accepts the old one.
        Jwts.verify(before.get("id"), jwks);
        Jwts.verify(after.get("id"), jwks);
        given().auth().oauth2(before.get("access")).get("/userinfo").then().statusCode(200);
        given().auth().oauth2(after.get("access")).get("/userinfo").then().statusCode(200);
    }
}
