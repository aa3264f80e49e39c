package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.auth.ManagementScopes;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.keys.SigningKey;
import dev.latchkey.token.keys.SigningKeys;
import dev.latchkey.token.keys.TokenMinter;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.user.Users;

/**
 * client_credentials for the Management API, the internal API admin-service calls with such a token, and the
 * tokens /userinfo and the internal API must refuse.
 */
@QuarkusTest
class ClientCredentialsAndInternalApiTest {

    @Inject
    Fixtures fx;

    @Inject
    AuthConfig auth;

    @Inject
    SigningKeys keys;

    @Inject
    Users users;

    private String managementToken(String... scopes) {
        return fx.managementToken(auth.managementApiAudience(), scopes);
    }

    @Test
    void clientCredentialsMintsAManagementTokenWithTheClientsGrantedScopes() throws Exception {
        String secret = Fixtures.secret();
        ClientConfig m2m = fx.client(secret, List.of(), List.of(Grants.CLIENT_CREDENTIALS), null,
                Map.of(auth.managementApiAudience(),
                        List.of(ManagementScopes.READ_USERS, ManagementScopes.READ_CLIENTS)));
        Response r = given().contentType(ContentType.JSON).body(Map.of("grant_type", "client_credentials",
                "client_id", m2m.clientId(), "client_secret", secret, "audience", auth.managementApiAudience()))
                .post("/oauth/token");
        r.then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(86400))
                .body("id_token", equalTo(null)).body("refresh_token", equalTo(null));
        JWTClaimsSet claims = Jwts.verify(r.path("access_token"));
        assertEquals(List.of(auth.managementApiAudience()), claims.getAudience());
        assertEquals(m2m.clientId() + "@clients", claims.getSubject());
        assertEquals("read:users read:clients", claims.getClaim("scope"));
        assertEquals("client-credentials", claims.getClaim("gty"));
        assertEquals(auth.issuerWithSlash(), claims.getIssuer());

        // Asking for fewer scopes narrows the token.
        Response narrow = given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", m2m.clientId()).formParam("client_secret", secret)
                .formParam("audience", auth.managementApiAudience()).formParam("scope", "read:clients")
                .post("/oauth/token");
        assertEquals("read:clients", Jwts.verify(narrow.path("access_token")).getClaim("scope"));

        // No grant for that audience, unknown audience, wrong secret, public client.
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", m2m.clientId()).formParam("client_secret", secret)
                .formParam("audience", "https://unknown.example.com/").post("/oauth/token").then()
                .statusCode(403).body("error", equalTo("access_denied"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", m2m.clientId()).formParam("client_secret", "nope")
                .formParam("audience", auth.managementApiAudience()).post("/oauth/token").then()
                .statusCode(401).body("error", equalTo("invalid_client"));
        ClientConfig spa = fx.client(null, List.of(), List.of(Grants.CLIENT_CREDENTIALS), null,
                Map.of(auth.managementApiAudience(), List.of(ManagementScopes.READ_USERS)));
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", spa.clientId()).formParam("audience", auth.managementApiAudience())
                .post("/oauth/token").then().statusCode(403).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void internalUsersApiListsSearchesBlocksUnblocksAndDeletes() throws Throwable {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()),
                List.of(Grants.PASSWORDLESS_OTP, Grants.REFRESH_TOKEN), null, null);
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        Response login = OtpGrantTest.otp(client, null, sms, phone, code, "openid offline_access");
        String userId = Jwts.verify(login.path("id_token")).getSubject();
        String refresh = login.path("refresh_token");

        String reader = managementToken(ManagementScopes.READ_USERS);
        String admin = managementToken(ManagementScopes.READ_USERS, ManagementScopes.UPDATE_USERS,
                ManagementScopes.DELETE_USERS);

        given().auth().oauth2(reader).queryParam("connection", sms.name()).get("/internal/users").then()
                .statusCode(200).body("total", equalTo(1)).body("users[0].user_id", equalTo(userId))
                .body("users[0].phone_number", equalTo(phone)).body("users[0].phone_verified", equalTo(true))
                .body("users[0].logins_count", equalTo(1)).body("users[0].blocked", equalTo(false));
        // Search by identifier in another spelling of the same number, and by part of it.
        given().auth().oauth2(reader).queryParam("identifier", phone.substring(0, 2) + " " + phone.substring(2))
                .get("/internal/users").then().statusCode(200).body("users.user_id", hasItem(userId));
        given().auth().oauth2(reader).queryParam("connection", sms.name()).queryParam("q", phone.substring(5))
                .get("/internal/users").then().statusCode(200).body("total", equalTo(1));
        given().auth().oauth2(reader).get("/internal/users/" + userId).then().statusCode(200)
                .body("identities[0].connection", equalTo(sms.name()));
        given().auth().oauth2(reader).get("/internal/users/sms|nobody").then().statusCode(404)
                .body("error", equalTo("not_found"));

        // Blocking needs update:users.
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(Map.of("blocked", true))
                .patch("/internal/users/" + userId).then().statusCode(403).body("error", equalTo("insufficient_scope"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("blocked", true))
                .patch("/internal/users/" + userId).then().statusCode(200).body("blocked", equalTo(true));
        assertNotNull(fx.get(OtpState.blockedKey(sms.name(), phone)), "otp-service is told not to send codes");
        // The marker comes back from PostgreSQL when Redis lost it.
        fx.delete(OtpState.blockedKey(sms.name(), phone));
        VertxContextSupport.subscribeAndAwait(users::restoreBlockedMarkers);
        assertNotNull(fx.get(OtpState.blockedKey(sms.name(), phone)), "marker restored");

        // A blocked user gets no tokens: neither by code nor by refresh token.
        String code2 = Fixtures.code();
        fx.issue(client, sms, phone, code2);
        OtpGrantTest.otp(client, null, sms, phone, code2, "openid").then().statusCode(401)
                .body("error", equalTo("unauthorized")).body("error_description", equalTo("user is blocked"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("client_id", client.clientId()).formParam("refresh_token", refresh).post("/oauth/token")
                .then().statusCode(401).body("error", equalTo("unauthorized"));

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("blocked", false))
                .patch("/internal/users/" + userId).then().statusCode(200).body("blocked", equalTo(false));
        assertEquals(null, fx.get(OtpState.blockedKey(sms.name(), phone)));
        String code3 = Fixtures.code();
        fx.issue(client, sms, phone, code3);
        OtpGrantTest.otp(client, null, sms, phone, code3, "openid").then().statusCode(200);
        given().auth().oauth2(reader).get("/internal/users/" + userId).then().body("logins_count", equalTo(2));

        // Deleting revokes the refresh tokens.
        given().auth().oauth2(reader).delete("/internal/users/" + userId).then().statusCode(403);
        given().auth().oauth2(admin).delete("/internal/users/" + userId).then().statusCode(204);
        given().auth().oauth2(admin).delete("/internal/users/" + userId).then().statusCode(404);
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("client_id", client.clientId()).formParam("refresh_token", refresh).post("/oauth/token")
                .then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    @Test
    void userinfoAndTheInternalApiRefuseEveryBadToken() throws Exception {
        String issuer = auth.issuerWithSlash();
        String userinfoAudience = issuer + "userinfo";
        SigningKey rs = keys.signer(SigningKey.RS256).await().indefinitely();
        long now = Instant.now().getEpochSecond();

        // Good tokens first, so that the refusals below are about the tokens and nothing else.
        String goodMgmt = managementToken(ManagementScopes.READ_USERS);
        given().auth().oauth2(goodMgmt).get("/internal/users").then().statusCode(200);
        String goodUser = TokenMinter.sign(rs, Map.of("iss", issuer, "sub", "sms|none", "aud", userinfoAudience,
                "iat", now, "exp", now + 600, "scope", "openid"));
        given().auth().oauth2(goodUser).get("/userinfo").then().statusCode(401) // verified, but no such user
                .body("error_description", equalTo("The user of this token is gone or blocked."));

        JWTClaimsSet userClaims = new JWTClaimsSet.Builder().issuer(issuer).subject("sms|x")
                .audience(List.of(userinfoAudience, auth.managementApiAudience())).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("scope", "openid read:users")
                .build();

        // alg:none, unsigned.
        String none = new PlainJWT(userClaims).serialize();
        // alg:none with our kid and some signature.
        String noneWithKid = header("{\"alg\":\"none\",\"kid\":\"" + rs.kid() + "\"}") + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(userClaims.toString().getBytes())
                + ".c2ln";
        // HS256 keyed with our public key (the classic RS/HS confusion), under our kid.
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rs.kid()).build(), userClaims);
        hs.sign(new MACSigner(rs.publicKey().getEncoded()));
        // RS256 by a key that is not ours, under an unknown kid and under our kid.
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair foreign = g.generateKeyPair();
        SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-a-kid")
                .type(JOSEObjectType.JWT).build(), userClaims);
        unknownKid.sign(new RSASSASigner((RSAPrivateKey) foreign.getPrivate()));
        SignedJWT forgedWithOurKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rs.kid()).build(),
                userClaims);
        forgedWithOurKid.sign(new RSASSASigner((RSAPrivateKey) foreign.getPrivate()));
        // Our key, but expired (beyond the clock skew).
        String expired = TokenMinter.sign(rs, Map.of("iss", issuer, "sub", "sms|x",
                "aud", List.of(userinfoAudience, auth.managementApiAudience()), "iat", now - 7200, "exp", now - 3600,
                "scope", "openid read:users"));
        // Our key, right scope, another audience.
        String wrongAudience = TokenMinter.sign(rs, Map.of("iss", issuer, "sub", "sms|x",
                "aud", "https://api.example.com/", "iat", now, "exp", now + 600, "scope", "openid read:users"));
        // Our key and audience, another issuer.
        String wrongIssuer = TokenMinter.sign(rs, Map.of("iss", "https://evil.example.net/", "sub", "sms|x",
                "aud", List.of(userinfoAudience, auth.managementApiAudience()), "iat", now, "exp", now + 600,
                "scope", "openid read:users"));

        Map<String, String> bad = Map.of("alg none", none, "alg none with kid", noneWithKid,
                "HS256", hs.serialize(), "unknown kid", unknownKid.serialize(), "forged with our kid",
                forgedWithOurKid.serialize(), "expired", expired, "wrong aud", wrongAudience,
                "wrong iss", wrongIssuer, "garbage", "abc.def");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Response u = given().auth().oauth2(e.getValue()).get("/userinfo");
            assertEquals(401, u.statusCode(), "/userinfo accepted " + e.getKey());
            assertEquals("invalid_token", u.path("error"), e.getKey());
            assertTrue(u.header("WWW-Authenticate").startsWith("Bearer"), e.getKey());
            assertEquals(401, given().auth().oauth2(e.getValue()).get("/internal/users").statusCode(),
                    "internal API accepted " + e.getKey());
        }
        given().get("/internal/users").then().statusCode(401);
        given().get("/userinfo").then().statusCode(401);
        // A user's access token (audience /userinfo) is not a service token.
        given().auth().oauth2(goodUser).get("/internal/users").then().statusCode(401);
        // A management token is not a /userinfo token.
        given().auth().oauth2(goodMgmt).get("/userinfo").then().statusCode(401);
    }

    @Test
    void signingKeysCanBeListedAndRotatedThroughTheInternalApi() {
        String reader = managementToken(ManagementScopes.READ_SIGNING_KEYS);
        String rotator = managementToken(ManagementScopes.CREATE_SIGNING_KEYS);
        List<Map<String, Object>> listed = given().auth().oauth2(reader).get("/internal/keys").then().statusCode(200)
                .body("find { it.current && it.alg == 'RS256' }.kid", notNullValue())
                .body("find { it.next && it.alg == 'RS256' }.kid", notNullValue())
                .extract().path("$");
        assertTrue(listed.size() >= 4);
        given().auth().oauth2(reader).post("/internal/keys/rotate").then().statusCode(403);
        given().auth().oauth2(rotator).queryParam("alg", "HS256").post("/internal/keys/rotate").then()
                .statusCode(400);
        given().auth().oauth2(rotator).queryParam("alg", "ES256").post("/internal/keys/rotate").then()
                .statusCode(200).body("alg", equalTo("ES256")).body("kid", notNullValue());
    }

    private static String header(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
    }
}
