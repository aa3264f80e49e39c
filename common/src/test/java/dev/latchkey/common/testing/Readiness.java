package dev.latchkey.common.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.restassured.path.json.JsonPath;

/** Reads {@code /q/health/ready} of the service under test and asserts on one named check. */
public final class Readiness {

    public static final String REDIS = "Redis connection health check";
    public static final String POSTGRES = "Reactive PostgreSQL connections health check";
    public static final String KAFKA = "Kafka";
    public static final String CONFIG_TOPIC = "Config topic latchkey.config";

    /** A server behind a {@link ProxiedServers} proxy and the readiness checks that depend on it. */
    public record Server(String proxy, String... checks) {
    }

    private Readiness() {
    }

    /**
     * The walk every service's readiness test makes: with all proxies shut, each check is DOWN naming the proxy's
     * address; then the servers are opened in the given order, each one's checks come UP while the next server's are
     * still DOWN, and the service is ready once the last is open.
     */
    public static void walkFromDownToUp(Server... servers) {
        assertLive();
        for (Server s : servers) {
            for (String check : s.checks()) {
                assertDown(check, address(s));
            }
        }
        for (int i = 0; i < servers.length; i++) {
            ProxiedServers.proxy(servers[i].proxy()).open();
            if (i == servers.length - 1) {
                awaitAllUp(Duration.ofSeconds(60));
            } else {
                for (String check : servers[i].checks()) {
                    awaitUp(check, Duration.ofSeconds(30));
                }
                assertDown(servers[i + 1].checks()[0], address(servers[i + 1]));
            }
        }
    }

    private static String address(Server s) {
        return "127.0.0.1:" + ProxiedServers.proxy(s.proxy()).port();
    }

    public static JsonPath ready() {
        return given().when().get("/q/health/ready").then().extract().jsonPath();
    }

    /** The named check from the readiness document, or null. */
    public static Map<String, Object> check(JsonPath ready, String name) {
        List<Map<String, Object>> checks = ready.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst().orElse(null);
    }

    /** The check is DOWN and its data names {@code mentioning} (the address the service was given). */
    public static void assertDown(String name, String mentioning) {
        var response = given().when().get("/q/health/ready").then().extract();
        assertEquals(503, response.statusCode(), "readiness while " + name + " is unreachable");
        Map<String, Object> check = check(response.jsonPath(), name);
        assertNotNull(check, "readiness has a check named " + name);
        assertEquals("DOWN", check.get("status"), name);
        assertTrue(String.valueOf(check.get("data")).contains(mentioning),
                name + " says which address failed: " + check.get("data"));
    }

    public static void awaitUp(String name, Duration atMost) {
        Awaitility.await(name + " UP").atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Object> check = check(ready(), name);
            assertNotNull(check, "readiness has a check named " + name);
            assertEquals("UP", check.get("status"), name + ": " + check.get("data"));
        });
    }

    public static void awaitAllUp(Duration atMost) {
        Awaitility.await("all readiness checks UP").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(200, given().when().get("/q/health/ready").statusCode(),
                        () -> given().when().get("/q/health/ready").asString()));
    }

    public static void assertLive() {
        assertEquals(200, given().when().get("/q/health/live").statusCode(), "liveness does not depend on servers");
    }
}
