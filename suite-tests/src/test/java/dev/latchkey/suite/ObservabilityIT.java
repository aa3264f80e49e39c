package dev.latchkey.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The packaged services (prod profile) as operators see them: JSON log lines with the MDC, an X-Request-Id on every
 * answer through the origin, and Prometheus metrics.
 */
class ObservabilityIT {

    private static Suite suite;

    @BeforeAll
    static void up() throws Exception {
        suite = Suite.get();
    }

    @Test
    void everyServiceLogsJsonLinesInTheProdProfile() throws Exception {
        for (String service : List.of("otp", "token", "delivery", "admin")) {
            int json = 0;
            for (String line : Files.readAllLines(suite.log(service))) {
                if (!line.startsWith("{")) {
                    continue; // the JVM's own warnings on stderr
                }
                JsonNode l = Suite.JSON.readTree(line);
                assertTrue(l.has("timestamp") && l.has("level") && l.has("loggerName") && l.has("mdc"), line);
                json++;
            }
            assertTrue(json > 0, service + "-service wrote no JSON log line");
        }
    }

    @Test
    void answersThroughTheOriginCarryTheRequestId() throws Exception {
        for (String path : List.of("/.well-known/openid-configuration", "/api/v2/clients")) {
            HttpResponse<String> r = suite.get(path);
            String id = r.headers().firstValue("X-Request-Id").orElse("");
            assertTrue(id.matches("[0-9a-f]{32}"), path + " answered without a request id: " + r.headers().map());
        }
        // Directly on a service, the caller's own id comes back.
        HttpResponse<String> direct = suite.http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + suite.ports.get("otp") + "/passwordless/start"))
                .header("Content-Type", "application/json").header("X-Request-Id", "suite-" + Suite.RUN)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, direct.statusCode());
        assertEquals("suite-" + Suite.RUN, direct.headers().firstValue("X-Request-Id").orElse(null));
    }

    @Test
    void everyServiceServesPrometheusMetricsWithoutRecipients() throws Exception {
        Map<String, String> ownMetric = Map.of("otp", "latchkey_otp_starts_total", "token",
                "latchkey_crypto_provider", "delivery", "latchkey_delivery_in_flight", "admin",
                "latchkey_config_outbox_pending");
        for (var e : ownMetric.entrySet()) {
            HttpResponse<String> r = suite.get("http://127.0.0.1:" + suite.ports.get(e.getKey()) + "/q/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains(e.getValue()), e.getKey() + "-service does not report " + e.getValue());
            assertFalse(r.body().contains("phone_number=") || r.body().contains("email="), e.getKey());
        }
    }
}
