package dev.latchkey.delivery.service;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.delivery.provider.ProviderException;

/**
 * What follows a provider's failure: another attempt later, or the end. Pure (the table-driven {@code RetryPolicyTest}
 * covers it); the caller draws the backoff delay.
 *
 * @param maxAttempts attempts in all, the first included
 * @param minRemaining a code with less than this left is not worth sending
 */
public record RetryPolicy(int maxAttempts, Duration minRemaining) {

    public sealed interface Decision {
    }

    /** Try again at {@code notBefore}. */
    public record TryAgain(Instant notBefore) implements Decision {
    }

    /** Stop: the event fails for good with {@code reason}. */
    public record GiveUp(String reason) implements Decision {
    }

    /**
     * @param attempt the attempt that failed (1 = the first)
     * @param delay the backoff before the next attempt
     */
    public Decision after(ProviderException failure, int attempt, Instant now, Instant expiresAt, Duration delay) {
        String reason = failure.getMessage();
        if (!failure.isTransient()) {
            return new GiveUp(reason);
        }
        if (attempt >= maxAttempts) {
            return new GiveUp("gave up after " + attempt + " attempts: " + reason);
        }
        Instant notBefore = now.plus(delay);
        if (!notBefore.plus(minRemaining).isBefore(expiresAt)) {
            return new GiveUp("the code expires before attempt " + (attempt + 1) + " could run: " + reason);
        }
        return new TryAgain(notBefore);
    }
}
