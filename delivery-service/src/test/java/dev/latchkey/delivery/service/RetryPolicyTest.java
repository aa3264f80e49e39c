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

/** What follows a provider's failure: retries go on until shortly before the code expires. No servers. */
class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10));

    /** transient, attempt, code lifetime left, backoff, expected decision, next attempt after (s) or reason. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(true, 1, Duration.ofMinutes(5), Duration.ofSeconds(1), RetryPolicy.TryAgain.class, "1"),
                // No cap on attempts: the 40th transient failure with minutes left is retried like the first.
                Arguments.of(true, 40, Duration.ofMinutes(4), Duration.ofSeconds(30), RetryPolicy.TryAgain.class,
                        "30"),
                // A backoff past the last useful moment is cut to it: one more try just before the stop.
                Arguments.of(true, 6, Duration.ofSeconds(25), Duration.ofSeconds(30), RetryPolicy.TryAgain.class,
                        "15"),
                Arguments.of(true, 6, Duration.ofSeconds(10), Duration.ofSeconds(1), RetryPolicy.Expire.class,
                        "stopped retrying after attempt 6"),
                Arguments.of(true, 2, Duration.ofSeconds(3), Duration.ofSeconds(1), RetryPolicy.Expire.class,
                        "the code expires at"),
                Arguments.of(false, 1, Duration.ofMinutes(5), Duration.ofSeconds(1), RetryPolicy.GiveUp.class,
                        "twilio 400"),
                Arguments.of(false, 3, Duration.ofSeconds(3), Duration.ofSeconds(1), RetryPolicy.GiveUp.class,
                        "21211"));
    }

    @ParameterizedTest(name = "transient={0}, attempt {1}, {2} left, backoff {3} → {4}")
    @MethodSource("table")
    void decides(boolean transientFailure, int attempt, Duration left, Duration backoff, Class<?> expected,
            String detail) {
        RetryPolicy.Decision d = policy.after(new ProviderException("twilio 400 21211 bad", transientFailure),
                attempt, NOW, NOW.plus(left), backoff);
        assertThat(d, instanceOf(expected));
        switch (d) {
            case RetryPolicy.TryAgain t -> assertThat(t.notBefore(), equalTo(NOW.plusSeconds(Long.parseLong(detail))));
            case RetryPolicy.GiveUp g -> assertThat(g.reason(), containsString(detail));
            case RetryPolicy.Expire x -> assertThat(x.reason(), containsString(detail));
        }
    }
}
