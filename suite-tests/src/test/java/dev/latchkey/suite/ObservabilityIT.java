package dev.latchkey.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The packaged services (prod profile) as operators see them: JSON log lines with the MDC, an X-Request-Id on every
 * answer through the origin, and Prometheus metrics.
 */
@ExtendWith(ServiceLogsOnFailure.class)
class ObservabilityIT {

    private static Suite suite;

    @BeforeAll
    static void up() throws Exception {
        suite = Suite.get();
    }

    @Test
    void aStartIsOneTraceThroughKafkaToTheProviderCall() throws Exception {
        byte[] id = new byte[16];
        new java.security.SecureRandom().nextBytes(id);
        String traceId = HexFormat.of().formatHex(id);
        String callerSpan = traceId.substring(0, 16);
        String phone = Suite.phone();
        HttpResponse<String> r = suite.http.send(HttpRequest.newBuilder(URI.create(suite.origin
                + "/passwordless/start")).header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(Suite.JSON.writeValueAsString(Map.of("client_id",
                        suite.clientId, "connection", suite.smsConnection, "phone_number", phone))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<TraceCollector.Span> trace = suite.traces.trace(traceId);
            TraceCollector.Span server = one(trace, "otp-service", "SPAN_KIND_SERVER", callerSpan);
            assertTrue(server.name().contains("/passwordless/start"), server.name());
            TraceCollector.Span producer = trace.stream().filter(s -> s.service().equals("otp-service")
                    && s.kind().equals("SPAN_KIND_PRODUCER")).findFirst().orElseThrow();
            // delivery-service picked the context up from the Kafka record headers ...
            TraceCollector.Span consumer = one(trace, "delivery-service", "SPAN_KIND_CONSUMER", producer.spanId());
            // ... and the provider call is its child (beside the Redis calls of the delivery ledger).
            assertTrue(trace.stream().anyMatch(s -> s.service().equals("delivery-service")
                    && s.kind().equals("SPAN_KIND_CLIENT") && s.parentSpanId().equals(consumer.spanId())
                    && s.name().equals("outbox send")), "no outbox send span under the consumer span in " + trace);
            for (TraceCollector.Span s : trace) {
                assertFalse((s.name() + s.attributes()).contains(phone.substring(1)), "recipient in span " + s);
            }
        });
    }

    private static TraceCollector.Span one(List<TraceCollector.Span> trace, String service, String kind,
            String parent) {
        return trace.stream().filter(s -> s.service().equals(service) && s.kind().equals(kind)
                && s.parentSpanId().equals(parent)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " span of " + service + " under " + parent
                        + " in " + trace));
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
