package dev.latchkey.token.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.testing.Metrics;
import dev.latchkey.token.Fixtures;
import dev.latchkey.token.service.Grants;

/** /oauth/token in one trace down to Redis and PostgreSQL; verifications and mints counted, recipients never named. */
@QuarkusTest
class ObservabilityTest {

    @Inject
    Fixtures fx;

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");

    @Inject
    InMemorySpanExporter spans;

    private static String traceId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aLoginIsOneTraceThroughRedisAndPostgres() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String traceId = traceId();

        io.restassured.RestAssured.given().contentType(ContentType.URLENC)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .formParam("grant_type", Grants.PASSWORDLESS_OTP).formParam("client_id", client.clientId())
                .formParam("realm", sms.name()).formParam("username", phone).formParam("otp", code)
                .formParam("scope", "openid").post("/oauth/token").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            assertThat(trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).map(SpanData::getName).toList(),
                    hasItems(containsString("/oauth/token")));
            trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                    .forEach(s -> System.out.println("SPANDUMP " + s.getName() + " " + s.getAttributes()));
            List<SpanData> clients = trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
            assertThat("the code is checked in Redis", clients.stream().map(s -> s.getAttributes().get(DB_SYSTEM))
                    .toList(), hasItems("redis"));
            // The user row in PostgreSQL. (Quarkus' SQL client spans put the database name in db.system.)
            assertThat(clients.stream().map(s -> s.getAttributes().get(DB_STATEMENT)).filter(q -> q != null)
                    .toList(), hasItems(containsString("users")));
            for (SpanData s : trace) {
                assertThat(s.getName() + " " + s.getAttributes(), not(containsString(phone.substring(1))));
                assertThat(s.getName() + " " + s.getAttributes(), not(containsString(code)));
            }
        });
    }

    @Test
    void verificationsAndMintsAreCountedByOutcomeWithoutRecipients() {
        ConnectionConfig sms = fx.sms();
        ClientConfig client = fx.publicClient(sms.name());
        String phone = Fixtures.phoneNumber();
        String code = Fixtures.code();
        fx.issue(client, sms, phone, code);
        String scrape = Metrics.scrape();
        double ok = Metrics.value(scrape, "latchkey_otp_verifications_total", Map.of("outcome", "ok"));
        double wrong = Metrics.value(scrape, "latchkey_otp_verifications_total", Map.of("outcome", "wrong"));
        double minted = Metrics.value(scrape, "latchkey_tokens_issued_total", Map.of("grant", Grants.PASSWORDLESS_OTP));

        String other = code.equals("000000") ? "111111" : "000000";
        OtpGrantTest.otp(client, null, sms, phone, other, "openid").then().statusCode(403);
        OtpGrantTest.otp(client, null, sms, phone, code, "openid").then().statusCode(200);

        scrape = Metrics.scrape();
        assertThat(Metrics.value(scrape, "latchkey_otp_verifications_total", Map.of("outcome", "ok")),
                greaterThanOrEqualTo(ok + 1));
        assertThat(Metrics.value(scrape, "latchkey_otp_verifications_total", Map.of("outcome", "wrong")),
                greaterThanOrEqualTo(wrong + 1));
        assertThat(Metrics.value(scrape, "latchkey_tokens_issued_total", Map.of("grant", Grants.PASSWORDLESS_OTP)),
                greaterThanOrEqualTo(minted + 1));
        assertThat(scrape, not(containsString(phone.substring(1))));
    }
}
