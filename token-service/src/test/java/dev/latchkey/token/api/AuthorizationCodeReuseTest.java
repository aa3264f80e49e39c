package dev.latchkey.token.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.HeldRotation;
import dev.latchkey.token.Jwts;
import dev.latchkey.token.store.AuthorizationCodes;

/**
 * An authorization code presented a second time (RFC 6749 4.1.2): refused, and the refresh token family its exchange
 * issued is revoked, whenever the second presentation comes.
 */
@QuarkusTest
class AuthorizationCodeReuseTest {

    private static final String SCOPE = "openid email offline_access";

    @Inject
    Fixtures fx;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    ObjectMapper mapper;

    @Inject
    DataSource db;

    @TestHTTPResource("/oauth/token")
    URI tokenEndpoint;

    /** A user of a public client, with the PKCE verifier its codes are bound to. */
    private record Login(ClientConfig client, ConnectionConfig email, String address, String verifier) {
    }

    private Login login() {
        ConnectionConfig email = fx.email();
        return new Login(fx.publicClient(email.name()), email, Fixtures.emailAddress(),
                "v".repeat(20) + Fixtures.secret().substring(0, 30));
    }

    /** A new authorization code for the login's user, through verify_redirect as a browser gets it. */
    private String authorizationCode(Login l) throws Exception {
        String otp = Fixtures.code();
        fx.issue(l.client(), l.email(), l.address(), otp);
        String location = RedirectFlowTest.noRedirects().queryParam("client_id", l.client().clientId())
                .queryParam("connection", l.email().name()).queryParam("email", l.address())
                .queryParam("verification_code", otp).queryParam("redirect_uri", Fixtures.REDIRECT)
                .queryParam("response_type", "code").queryParam("scope", SCOPE).queryParam("nonce", "n")
                .queryParam("code_challenge", RedirectFlowTest.challenge(l.verifier()))
                .queryParam("code_challenge_method", "S256")
                .get("/passwordless/verify_redirect").then().statusCode(302).extract().header("Location");
        String code = RedirectFlowTest.params(URI.create(location).getRawQuery()).get("code");
        assertNotNull(code);
        return code;
    }

    private static Response exchange(Login l, String code) {
        return RedirectFlowTest.exchange(l.client(), code, Fixtures.REDIRECT, l.verifier());
    }

    @Test
    void aCodePresentedAgainIsRefusedAndRevokesTheRefreshTokensItsExchangeIssued() throws Exception {
        Login l = login();
        String code = authorizationCode(l);
        String first = exchange(l, code).then().statusCode(200).body("refresh_token", notNullValue()).extract()
                .path("refresh_token");
        // The family lives on through rotation.
        String rotated = RefreshTokenTest.refresh(l.client(), first).then().statusCode(200).extract()
                .path("refresh_token");
        // Another login of the same user: a family of its own.
        String other = exchange(l, authorizationCode(l)).then().statusCode(200).extract().path("refresh_token");

        exchange(l, code).then().statusCode(403).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Invalid authorization code"));

        RefreshTokenTest.refresh(l.client(), rotated).then().statusCode(403).body("error", equalTo("invalid_grant"));
        RefreshTokenTest.refresh(l.client(), other).then().statusCode(200);
        // A third presentation is refused too (and finds nothing more to revoke).
        exchange(l, code).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    @Test
    void twoExchangesOfOneCodeAtOnceYieldOneAnswerWhoseRefreshTokenDoesNotLast() throws Exception {
        Login l = login();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int round = 0; round < 5; round++) {
            String code = authorizationCode(l);
            HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "authorization_code", "client_id",
                            l.client().clientId(), "code", code, "redirect_uri", Fixtures.REDIRECT, "code_verifier",
                            l.verifier())))
                    .build();
            CompletableFuture<HttpResponse<String>> a = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> b = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            List<HttpResponse<String>> answers = List.of(a.join(), b.join());

            List<HttpResponse<String>> ok = answers.stream().filter(x -> x.statusCode() == 200).toList();
            assertEquals(1, ok.size(), () -> "exactly one exchange succeeds: " + answers);
            HttpResponse<String> refused = answers.stream().filter(x -> x.statusCode() != 200).findFirst()
                    .orElseThrow();
            assertEquals(403, refused.statusCode());
            assertEquals("invalid_grant", JsonPath.from(refused.body()).getString("error"));
            JsonPath tokens = JsonPath.from(ok.getFirst().body());
            Jwts.verify(tokens.getString("access_token"));
            // Whichever came first, the refresh token of the exchange is withheld or already revoked.
            String refreshToken = tokens.getString("refresh_token");
            if (refreshToken != null) {
                RefreshTokenTest.refresh(l.client(), refreshToken).then().statusCode(403)
                        .body("error", equalTo("invalid_grant"));
            }
        }
    }

    @Test
    void aReplayDuringTheExchangeRevokesTheNewFamilyAndWithholdsItsToken() throws Exception {
        Login l = login();
        String code = authorizationCode(l);
        // The second presentation lands after the first redeemed the code, before it recorded its refresh tokens.
        QuarkusMock.installMockForType(new AuthorizationCodes(redis, mapper, "standalone") {

            @Override
            public Uni<FamilyRecord> recordFamily(String presented, UUID family) {
                return redeem(presented).chain(again -> {
                    assertInstanceOf(Redemption.Again.class, again);
                    return super.recordFamily(presented, family);
                });
            }
        }, AuthorizationCodes.class);

        Response r = exchange(l, code);
        r.then().statusCode(200).body("access_token", notNullValue()).body("id_token", notNullValue())
                .body("refresh_token", nullValue());
        String userId = Jwts.verify(r.path("id_token")).getSubject();
        // One family was started for this user's first login, and it is revoked.
        assertEquals(1, refreshTokens(userId, false));
        assertEquals(0, refreshTokens(userId, true));
        exchange(l, code).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aReplayAfterTheCodeWouldHaveExpiredStillRevokes() throws Exception {
        Login l = login();
        String code = authorizationCode(l);
        // The code has a second left when it is exchanged; its record must outlive that second.
        redis.execute("PEXPIRE", AuthorizationCodes.key(code), "1000").await().indefinitely();
        String refreshToken = exchange(l, code).then().statusCode(200).extract().path("refresh_token");
        assertNotNull(refreshToken);
        Thread.sleep(1500);
        exchange(l, code).then().statusCode(403).body("error", equalTo("invalid_grant"));
        RefreshTokenTest.refresh(l.client(), refreshToken).then().statusCode(403)
                .body("error", equalTo("invalid_grant"));
    }

    /**
     * The code is presented again while the refresh token its exchange issued is being rotated, and the revocation
     * waits for that rotation's row lock: the token the rotation issued must not outlive the revocation.
     */
    @Test
    void aReplayWhileTheFamilyRotatesAlsoKillsTheRotatedToken() throws Exception {
        Login l = login();
        String code = authorizationCode(l);
        String first = exchange(l, code).then().statusCode(200).extract().path("refresh_token");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest replay = HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "authorization_code", "client_id",
                        l.client().clientId(), "code", code, "redirect_uri", Fixtures.REDIRECT, "code_verifier",
                        l.verifier())))
                .build();
        CompletableFuture<HttpResponse<String>> replayed = HeldRotation.install(db, first,
                () -> http.sendAsync(replay, HttpResponse.BodyHandlers.ofString()));

        String rotated = RefreshTokenTest.refresh(l.client(), first).then().statusCode(200)
                .body("refresh_token", notNullValue()).extract().path("refresh_token");
        HttpResponse<String> refused = replayed.join();
        assertEquals(403, refused.statusCode(), refused::body);
        assertEquals("invalid_grant", JsonPath.from(refused.body()).getString("error"));

        RefreshTokenTest.refresh(l.client(), rotated).then().statusCode(403).body("error", equalTo("invalid_grant"));
        RefreshTokenTest.refresh(l.client(), first).then().statusCode(403).body("error", equalTo("invalid_grant"));
    }

    private int refreshTokens(String userId, boolean liveOnly) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from refresh_tokens where user_id = ?"
                        + (liveOnly ? " and revoked_at is null" : ""))) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
