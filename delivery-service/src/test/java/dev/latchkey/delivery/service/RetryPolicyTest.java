package dev.latchkey.delivery.service;

import static dev.latchkey.delivery.provider.ProviderException.Kind.PERMANENT;
import static dev.latchkey.delivery.provider.ProviderException.Kind.SENDER;
import static dev.latchkey.delivery.provider.ProviderException.Kind.TRANSIENT;
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

/**
 * What follows a provider's failure: the next route step at once, retries until shortly before the code expires, or
 * the end. No servers.
 */
class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10));

    /** kind, attempt, a next step?, code lifetime left, backoff, expected decision, next attempt after (s) or reason. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(TRANSIENT, 1, false, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.TryAgain.class, "1"),
                // No cap on attempts: the 40th transient failure with minutes left is retried like the first.
                Arguments.of(TRANSIENT, 40, false, Duration.ofMinutes(4), Duration.ofSeconds(30),
                        RetryPolicy.TryAgain.class, "30"),
                // A backoff past the last useful moment is cut to it: one more try just before the stop.
                Arguments.of(TRANSIENT, 6, false, Duration.ofSeconds(25), Duration.ofSeconds(30),
                        RetryPolicy.TryAgain.class, "15"),
                Arguments.of(TRANSIENT, 6, false, Duration.ofSeconds(10), Duration.ofSeconds(1),
                        RetryPolicy.Expire.class, "stopped retrying after attempt 6"),
                Arguments.of(TRANSIENT, 2, false, Duration.ofSeconds(3), Duration.ofSeconds(1),
                        RetryPolicy.Expire.class, "the code expires at"),
                Arguments.of(PERMANENT, 1, false, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.GiveUp.class, "twilio 400"),
                Arguments.of(SENDER, 1, false, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.GiveUp.class, "21211"),
                // A next step: a passing failure or the sender's goes to it at once, not after the backoff ...
                Arguments.of(TRANSIENT, 1, true, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.FailOver.class, "twilio 400"),
                Arguments.of(SENDER, 3, true, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.FailOver.class, "twilio 400"),
                // ... the person's (21610, an invalid number) does not: no sender will send it.
                Arguments.of(PERMANENT, 1, true, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        RetryPolicy.GiveUp.class, "twilio 400"),
                // ... and not once the code is past its last useful moment.
                Arguments.of(TRANSIENT, 1, true, Duration.ofSeconds(9), Duration.ofSeconds(1),
                        RetryPolicy.Expire.class, "stopped retrying"),
                Arguments.of(SENDER, 1, true, Duration.ofSeconds(9), Duration.ofSeconds(1),
                        RetryPolicy.GiveUp.class, "21211"));
    }

    @ParameterizedTest(name = "{0}, attempt {1}, next step {2}, {3} left, backoff {4} → {5}")
    @MethodSource("table")
    void decides(ProviderException.Kind kind, int attempt, boolean nextStep, Duration left, Duration backoff,
            Class<?> expected, String detail) {
        RetryPolicy.Decision d = policy.after(new ProviderException("twilio 400 21211 bad", kind), attempt, nextStep,
                NOW, NOW.plus(left), backoff);
        assertThat(d, instanceOf(expected));
        switch (d) {
            case RetryPolicy.TryAgain t -> assertThat(t.notBefore(), equalTo(NOW.plusSeconds(Long.parseLong(detail))));
            case RetryPolicy.GiveUp g -> assertThat(g.reason(), containsString(detail));
            case RetryPolicy.Expire x -> assertThat(x.reason(), containsString(detail));
            case RetryPolicy.FailOver f -> assertThat(f.reason(), containsString(detail));
        }
    }
}
