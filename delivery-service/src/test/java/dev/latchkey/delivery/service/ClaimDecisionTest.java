package dev.latchkey.delivery.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.delivery.store.DeliveryLedger.Record;

/** What an attempt does with the record it found instead of a claim. No servers. */
class ClaimDecisionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration FIRST_RECHECK = Duration.ofSeconds(1);

    private static Record record(String state, Duration age) {
        return new Record(Map.of("state", state, "attempt", "1", "at",
                Long.toString(NOW.minus(age).toEpochMilli())));
    }

    /** state, age of the claim, expected decision, expected recheck delay from now (ms) or -1. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("sent", Duration.ofSeconds(5), ClaimDecision.Duplicate.class, -1L),
                Arguments.of("failed", Duration.ofSeconds(5), ClaimDecision.Duplicate.class, -1L),
                Arguments.of("expired", Duration.ofSeconds(5), ClaimDecision.Duplicate.class, -1L),
                // A retrying record this attempt could not claim belongs to a later attempt.
                Arguments.of("retrying", Duration.ofSeconds(5), ClaimDecision.Duplicate.class, -1L),
                // A young claim: look again after the first recheck delay.
                Arguments.of("calling", Duration.ofMillis(200), ClaimDecision.Recheck.class, 1000L),
                // An older one: after as long again as it is old.
                Arguments.of("calling", Duration.ofSeconds(10), ClaimDecision.Recheck.class, 10_000L),
                // Never beyond the deadline: just after it, where the next decision is made.
                Arguments.of("calling", Duration.ofSeconds(100), ClaimDecision.Recheck.class, 20_001L),
                Arguments.of("calling", Duration.ofSeconds(120), ClaimDecision.Recheck.class, 1L),
                Arguments.of("calling", Duration.ofSeconds(121), ClaimDecision.OutcomeUnknown.class, -1L));
    }

    @ParameterizedTest(name = "{0}, claimed {1} ago → {2}")
    @MethodSource("table")
    void decides(String state, Duration age, Class<?> expected, long recheckMillis) {
        ClaimDecision d = ClaimDecision.of(record(state, age), NOW, CALL_TIMEOUT, FIRST_RECHECK);
        assertThat(d, instanceOf(expected));
        if (d instanceof ClaimDecision.Recheck r) {
            assertThat(Duration.between(NOW, r.at()).toMillis(), equalTo(recheckMillis));
        }
    }
}
