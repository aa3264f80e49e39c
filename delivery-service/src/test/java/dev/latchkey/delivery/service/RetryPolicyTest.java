package dev.latchkey.delivery.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.delivery.provider.ProviderException;

/** What follows a provider's failure. No servers. */
class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1));

    /** transient, attempt, code lifetime left, backoff, expected decision, text of the reason. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(true, 1, Duration.ofMinutes(5), Duration.ofSeconds(1), RetryPolicy.TryAgain.class, ""),
                Arguments.of(true, 5, Duration.ofMinutes(5), Duration.ofSeconds(30), RetryPolicy.TryAgain.class, ""),
                Arguments.of(false, 1, Duration.ofMinutes(5), Duration.ofSeconds(1), RetryPolicy.GiveUp.class,
                        "twilio 400"),
                Arguments.of(true, 6, Duration.ofMinutes(5), Duration.ofSeconds(1), RetryPolicy.GiveUp.class,
                        "gave up after 6 attempts"),
                Arguments.of(true, 2, Duration.ofSeconds(3), Duration.ofSeconds(2), RetryPolicy.GiveUp.class,
                        "the code expires before attempt 3"),
                Arguments.of(true, 2, Duration.ofMillis(3001), Duration.ofSeconds(2), RetryPolicy.TryAgain.class,
                        ""));
    }

    @ParameterizedTest(name = "transient={0}, attempt {1}, {2} left, backoff {3} → {4}")
    @MethodSource("table")
    void decides(boolean transientFailure, int attempt, Duration left, Duration backoff, Class<?> expected,
            String reason) {
        RetryPolicy.Decision d = policy.after(new ProviderException("twilio 400 21211 bad", transientFailure),
                attempt, NOW, NOW.plus(left), backoff);
        assertThat(d, instanceOf(expected));
        switch (d) {
            case RetryPolicy.TryAgain t -> assertThat(t.notBefore(), equalTo(NOW.plus(backoff)));
            case RetryPolicy.GiveUp g -> assertThat(g.reason(), containsString(reason));
        }
    }
}
