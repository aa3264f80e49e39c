package dev.latchkey.otp.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.observability.RequestIds;
import dev.latchkey.common.testing.Metrics;
import dev.latchkey.otp.support.DeliveryTopics;
import dev.latchkey.otp.support.OtpTestProfile;
import dev.latchkey.otp.support.Starts;
import dev.latchkey.otp.support.Tenant;

/**
 * Every request has an id (in X-Request-Id going back, on every line logged while serving it, in the delivery record);
 * codes issued are counted, with no recipient in the metrics.
 */
@QuarkusTest
@TestProfile(OtpTestProfile.class)
class ObservabilityTest {

    private static final String API_LOGGER = "dev.latchkey.otp.api";

    @Inject
    ConfigView view;

    /** Request ids (the MDC's request_id) of the lines logged under dev.latchkey.otp.api during a test. */
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {

        @Override
        public void publish(LogRecord r) {
            if (r instanceof ExtLogRecord e) {
                logged.add(e.getMessage() + " | " + e.getMdc(RequestIds.MDC_KEY));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level before;

    @BeforeEach
    void listen() {
        Logger api = Logger.getLogger(API_LOGGER);
        before = api.getLevel();
        // Refusals are logged at debug level by the error mapper, on the request's own context.
        api.setLevel(Level.FINE);
        api.addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger api = Logger.getLogger(API_LOGGER);
        api.removeHandler(capture);
        api.setLevel(before);
    }

    private static io.restassured.response.Response refusedStart(String header, String value) {
        var request = given().contentType("application/json").header("X-Forwarded-For", Starts.ip());
        if (header != null) {
            request = request.header(header, value);
        }
        return request
                .body("{\"client_id\":\"no-such-client\",\"connection\":\"sms\",\"phone_number\":\"+14155550123\"}")
                .post("/passwordless/start").then().statusCode(400).extract().response();
    }

    @Test
    void theCallersRequestIdComesBackAndIsOnTheRequestsLogLines() {
        String id = "req-" + Long.toHexString(System.nanoTime());
        assertThat(refusedStart("X-Request-Id", id).header(RequestIds.HEADER), equalTo(id));
        assertThat(logged, hasItem(matchesPattern("start refused: bad\\.client_id .* \\| " + id)));
    }

    @Test
    void withoutOneTheTraceIdIsTheRequestId() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        String traceId = HexFormat.of().formatHex(random);
        String id = refusedStart("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").header(RequestIds.HEADER);
        assertThat(id, equalTo(traceId));
        assertThat(logged, hasItem(matchesPattern("start refused: .* \\| " + traceId)));
    }

    @Test
    void anIssuedCodeIsCountedAndItsDeliveryRecordCarriesTheRequestId() {
        Tenant tenant = new Tenant(view);
        DeliveryTopics topics = new DeliveryTopics();
        try {
            var sms = tenant.connection("sms");
            var client = tenant.client(sms);
            String phone = Tenant.phone();
            double before = Metrics.value("latchkey_otp_starts_total", Map.of("outcome", "sent"));
            String requestId = "req-" + Long.toHexString(System.nanoTime());

            String id = given().contentType("application/json").header("X-Forwarded-For", Starts.ip())
                    .header("X-Request-Id", requestId)
                    .body("{\"client_id\":\"" + client.clientId() + "\",\"connection\":\"" + sms.name()
                            + "\",\"phone_number\":\"" + phone + "\"}")
                    .post("/passwordless/start").then().statusCode(200).header(RequestIds.HEADER, requestId)
                    .extract().path("_id");

            ConsumerRecord<String, String> record = topics.record(id);
            assertThat(new String(record.headers().lastHeader(DeliveryEvent.REQUEST_ID_HEADER).value(),
                    StandardCharsets.US_ASCII), equalTo(requestId));
            String scrape = Metrics.scrape();
            assertThat(Metrics.value(scrape, "latchkey_otp_starts_total", Map.of("outcome", "sent")),
                    greaterThanOrEqualTo(before + 1));
            assertThat(scrape, not(containsString(phone.substring(1))));
        } finally {
            topics.close();
            tenant.close();
        }
    }

    @Test
    void anIdThatIsNotAPlainTokenIsReplacedNotEchoed() {
        String odd = "<script>alert(1)</script>";
        String id = refusedStart("X-Request-Id", odd).header(RequestIds.HEADER);
        assertThat(id, not(equalTo(odd)));
        assertThat(id, matchesPattern("[0-9a-f]{32}"));
    }
}
