package dev.latchkey.delivery.service;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.delivery.provider.ProviderException;

/**
 * What follows a provider's failure: another attempt later, or the end. A transient failure is retried with backoff
 * until {@code stopBeforeExpiry} before the code expires, the last attempt moved up to that point if the backoff
 * would pass it; a failure after that ends the event as expired. A permanent one fails it at once. Pure (the
 * table-driven {@code RetryPolicyTest} covers it); the caller draws the backoff delay.
 *
 * @param stopBeforeExpiry how long before the code's expiry retrying stops
 */
public record RetryPolicy(Duration stopBeforeExpiry) {

    public sealed interface Decision {
    }

    /** Try again at {@code notBefore}. */
    public record TryAgain(Instant notBefore) implements Decision {
    }

    /** Stop: the event fails for good with {@code reason}. */
    public record GiveUp(String reason) implements Decision {
    }

    /** Stop: the code is about to expire; nothing more is sent. */
    public record Expire(String reason) implements Decision {
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
        Instant last = expiresAt.minus(stopBeforeExpiry);
        if (!now.isBefore(last)) {
            return new Expire("the code expires at " + expiresAt + "; stopped retrying after attempt " + attempt
                    + ": " + reason);
        }
        Instant notBefore = now.plus(delay);
        return new TryAgain(notBefore.isAfter(last) ? last : notBefore);
    }
}
