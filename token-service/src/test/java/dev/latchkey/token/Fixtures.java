package dev.latchkey.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.http.ContentType;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpHmac;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.testing.ConfigTopicPublisher;
import dev.latchkey.token.service.Grants;

/**
 * What the tests need from the rest of the platform, done the way the rest of the platform does it: clients and
 * connections published on the config topic (as admin-service), codes written to Redis with common's OtpState layout
 * and OtpHmac (as otp-service). Every id is fresh, so runs on the same servers do not meet.
 */
@ApplicationScoped
public class Fixtures {

    public static final String REDIRECT = "https://app.example.com/callback";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PHONE_START = RANDOM.nextInt(10_000);
    private static final AtomicInteger PHONES = new AtomicInteger();
    private static ConfigTopicPublisher publisher;

    private final ConfigView view;
    private final OtpHmac hmac;
    private final RedisDataSource redis;

    public Fixtures(ConfigView view, OtpHmac hmac, RedisDataSource redis) {
        this.view = view;
        this.hmac = hmac;
        this.redis = redis;
    }

    private static synchronized ConfigTopicPublisher publisher() {
        if (publisher == null) {
            publisher = new ConfigTopicPublisher();
        }
        return publisher;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A number no other test of this JVM has used (drawn in sequence from a random place, not at random). */
    public static String phoneNumber() {
        return "+1415555" + String.format("%04d", (PHONE_START + PHONES.getAndIncrement()) % 10_000);
    }

    public static String emailAddress() {
        return unique("user") + "@example.com";
    }

    public static String secret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A connection with a fresh name; waits until this service's config view has it. */
    public ConnectionConfig connection(String strategy, Integer maxAttempts, boolean disableSignup) {
        ConnectionConfig c = new ConnectionConfig(unique(strategy), strategy, 6, 300, maxAttempts, disableSignup,
                true, "en", Map.of(), null, null);
        publisher().connection(c);
        await().atMost(Duration.ofSeconds(20)).until(() -> view.connection(c.name()).isPresent());
        return c;
    }

    public ConnectionConfig sms() {
        return connection("sms", null, false);
    }

    public ConnectionConfig email() {
        return connection("email", null, false);
    }

    /** A client; {@code secret} null makes it public. Waits until the config view has it. */
    /** A management API access token with these scopes, from a fresh client_credentials client. */
    public String managementToken(String managementAudience, String... scopes) {
        String secret = secret();
        ClientConfig m2m = client(secret, List.of(), List.of(Grants.CLIENT_CREDENTIALS), null,
                Map.of(managementAudience, List.of(scopes)));
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", m2m.clientId()).formParam("client_secret", secret)
                .formParam("audience", managementAudience).post("/oauth/token").then().statusCode(200)
                .extract().path("access_token");
    }

    public ClientConfig client(String secret, List<String> connections, List<String> grantTypes,
            ClientConfig.RefreshTokenSettings refresh, Map<String, List<String>> clientGrants) {
        ClientConfig c = new ClientConfig(unique("client"), "Test app", secret == null ? "spa" : "regular_web",
                secret == null ? null : ClientSecrets.sha256(secret), List.of(REDIRECT, REDIRECT + "/other"),
                List.of(), connections, grantTypes, null, null, refresh, clientGrants);
        return publish(c);
    }

    public ClientConfig publish(ClientConfig c) {
        publisher().client(c);
        await().atMost(Duration.ofSeconds(20)).until(() -> view.client(c.clientId()).filter(c::equals).isPresent());
        return c;
    }

    /** A public client with every user grant enabled for the given connections. */
    public ClientConfig publicClient(String... connections) {
        return client(null, List.of(connections), List.of(Grants.PASSWORDLESS_OTP, Grants.AUTHORIZATION_CODE,
                Grants.IMPLICIT, Grants.REFRESH_TOKEN), null, null);
    }

    /** A public client with every user grant, whose pages on {@code origin} may call it cross-origin. */
    public ClientConfig originClient(String origin, String... connections) {
        return publish(new ClientConfig(unique("client"), "Test app", "spa", null,
                List.of(REDIRECT, REDIRECT + "/other", "https://elsewhere.example.net/callback"), List.of(origin),
                List.of(connections), List.of(Grants.PASSWORDLESS_OTP, Grants.AUTHORIZATION_CODE, Grants.IMPLICIT,
                        Grants.REFRESH_TOKEN),
                null, null, null, null));
    }

    /** A new six-digit code. */
    public static String code() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    /**
     * Writes a code for {@code recipient} as otp-service's start does: only the HMAC, the client, the attempt budget,
     * the expiry and the authParams, in the one hash of {@link OtpState}, with the code's TTL.
     */
    public void issue(ClientConfig client, ConnectionConfig connection, String recipient, String code, Duration ttl,
            String paramsJson) {
        long now = System.currentTimeMillis();
        String key = OtpState.codeKey(connection.name(), recipient);
        redis.execute("HSET", key,
                OtpState.FIELD_HMAC, hmac.of(code, client.clientId(), connection.name(), recipient),
                OtpState.FIELD_CLIENT, client.clientId(),
                OtpState.FIELD_ATTEMPTS, Integer.toString(connection.maxAttemptsOrDefault()),
                OtpState.FIELD_EXPIRES, Long.toString(now + ttl.toMillis()),
                OtpState.FIELD_ID, UUID.randomUUID().toString(),
                OtpState.FIELD_PARAMS, paramsJson == null ? "{}" : paramsJson);
        redis.execute("PEXPIRE", key, Long.toString(ttl.toMillis()));
    }

    public void issue(ClientConfig client, ConnectionConfig connection, String recipient, String code) {
        issue(client, connection, recipient, code, Duration.ofMinutes(5), null);
    }

    public boolean codeExists(ConnectionConfig connection, String recipient) {
        return redis.execute("EXISTS", OtpState.codeKey(connection.name(), recipient)).toInteger() == 1;
    }

    public void delete(String key) {
        redis.execute("DEL", key);
    }

    public String get(String key) {
        var r = redis.execute("GET", key);
        return r == null ? null : r.toString();
    }
}
