package dev.latchkey.token.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.HeldRotation;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.service.Grants;

/** Refresh tokens: rotation on every use, reuse detection revoking the family, absolute lifetime. */
@QuarkusTest
class RefreshTokenTest {

    private static final List<String> GRANTS = List.of(Grants.PASSWORDLESS_OTP, Grants.REFRESH_TOKEN);

    @Inject
    Fixtures fx;

    @Inject
    DataSource db;

    @TestHTTPResource("/oauth/token")
    URI tokenEndpoint;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    /** A refresh request sent without waiting for its answer (rest-assured would block the caller). */
    static CompletableFuture<HttpResponse<String>> refreshAsync(HttpClient http, URI tokenEndpoint,
            ClientConfig client, String token) {
        String form = "grant_type=refresh_token&client_id="
                + URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8)
                + "&refresh_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return http.sendAsync(HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
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
    void aRotatedTokenPresentedAgainWithinTheReuseIntervalStillRotatesAndTheFamilyLives() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 60, 3600), null);
        String first = login(client, sms);
        String second = refresh(client, first).then().statusCode(200).extract().path("refresh_token");
        // A client that lost the answer retries with the same token: a grace, not theft.
        String retried = refresh(client, first).then().statusCode(200).extract().path("refresh_token");
        assertNotEquals(second, retried);
        refresh(client, second).then().statusCode(200);
        refresh(client, retried).then().statusCode(200);
    }

    /**
     * The reported race, forced: the family is revoked (an older token of it is reused) while its newest token is being
     * rotated, and the revocation waits for that rotation's row lock. The rotation answers (it came first), but the
     * token it issued must not outlive the revocation.
     */
    @Test
    void aRevocationThatWaitedForARotationAlsoKillsTheTokenTheRotationIssued() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 0, 3600), null);
        String first = login(client, sms);
        String second = refresh(client, first).then().statusCode(200).extract().path("refresh_token");
        CompletableFuture<HttpResponse<String>> reuse = HeldRotation.install(db, second,
                () -> refreshAsync(http, tokenEndpoint, client, first));

        String third = refresh(client, second).then().statusCode(200).body("refresh_token", notNullValue())
                .extract().path("refresh_token");
        HttpResponse<String> reused = reuse.join();
        assertEquals(403, reused.statusCode(), reused::body);
        assertEquals("invalid_grant", JsonPath.from(reused.body()).getString("error"));

        refresh(client, third).then().statusCode(403).body("error", equalTo("invalid_grant"));
        refresh(client, second).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    /**
     * Two reuses of one family at once, forced: the first presented token's row is held locked while a second rotated
     * token of the family is reused, until PostgreSQL shows that second request waiting for it. Were each to revoke
     * the family inside the transaction that locked its own row, each would wait for the other's row (a deadlock:
     * PostgreSQL aborts one, which answered 500). Both must be refused as reuse, and the family stay dead.
     */
    @Test
    void twoReusesOfOneFamilyAtOnceAreBothRefusedWithoutADeadlock() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 0, 3600), null);
        String first = login(client, sms);
        String second = refresh(client, first).then().statusCode(200).extract().path("refresh_token");
        String third = refresh(client, second).then().statusCode(200).extract().path("refresh_token");
        CompletableFuture<HttpResponse<String>> other = HeldRotation.install(db, first,
                () -> refreshAsync(http, tokenEndpoint, client, second));

        refresh(client, first).then().statusCode(403).body("error", equalTo("invalid_grant"));
        HttpResponse<String> reused = other.join();
        assertEquals(403, reused.statusCode(), reused::body);
        assertEquals("invalid_grant", JsonPath.from(reused.body()).getString("error"));
        refresh(client, third).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    /**
     * The same race left to chance, many times: the newest token is rotated while an older one is reused. Whichever
     * comes first, once both have answered no token of the family works.
     */
    @Test
    void aRotationRacingAReuseNeverLeavesALiveToken() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.client(null, List.of(sms.name()), GRANTS,
                new ClientConfig.RefreshTokenSettings(true, 0, 3600), null);
        for (int round = 0; round < 30; round++) {
            String first = login(client, sms);
            String second = refresh(client, first).then().statusCode(200).extract().path("refresh_token");
            CompletableFuture<HttpResponse<String>> rotation = refreshAsync(http, tokenEndpoint, client, second);
            CompletableFuture<HttpResponse<String>> reuse = refreshAsync(http, tokenEndpoint, client, first);
            HttpResponse<String> reused = reuse.join();
            assertEquals(403, reused.statusCode(), reused::body);

            List<String> family = new ArrayList<>(List.of(first, second));
            HttpResponse<String> rotated = rotation.join();
            if (rotated.statusCode() == 200) {
                family.add(JsonPath.from(rotated.body()).getString("refresh_token"));
            } else {
                assertEquals(403, rotated.statusCode(), rotated::body);
            }
            int r = round;
            for (String token : family) {
                Response again = refresh(client, token);
                assertEquals(403, again.statusCode(),
                        () -> "round " + r + ": token " + family.indexOf(token) + " of the family still works");
            }
        }
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
