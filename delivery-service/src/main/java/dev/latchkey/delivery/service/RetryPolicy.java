package dev.latchkey.delivery.service;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.delivery.provider.ProviderException;

/**
 * What follows a provider's failure: the route's next step at once, another attempt later, or the end. A transient
 * failure or one of the sender's goes to the route's next step at once while the code is worth sending; a transient
 * failure of the last step is retried (from the first step) with backoff
 * until {@code stopBeforeExpiry} before the code expires, the last attempt moved up to that point if the backoff
 * would pass it; a failure after that ends the event as expired. A permanent one fails it at once. Pure (the
 * table-driven {@code RetryPolicyTest} covers it); the caller draws the backoff delay.
 *
 * @param stopBeforeExpiry how long before the code's expiry retrying stops
 */
public record RetryPolicy(Duration stopBeforeExpiry) {

    public sealed interface Decision {
    }

    /** Hand the message to the route's next step now. */
    public record FailOver(String reason) implements Decision {
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
     * @param nextStep whether the route has a step after the one that failed
     * @param delay the backoff before the next attempt
     */
    public Decision after(ProviderException failure, int attempt, boolean nextStep, Instant now, Instant expiresAt,
            Duration delay) {
        String reason = failure.getMessage();
        Instant last = expiresAt.minus(stopBeforeExpiry);
        if (nextStep && failure.kind() != ProviderException.Kind.PERMANENT && now.isBefore(last)) {
            return new FailOver(reason);
        }
        if (!failure.isTransient()) {
            return new GiveUp(reason);
        }
        if (!now.isBefore(last)) {
            return new Expire("the code expires at " + expiresAt + "; stopped retrying after attempt " + attempt
                    + ": " + reason);
        }
        Instant notBefore = now.plus(delay);
        return new TryAgain(notBefore.isAfter(last) ? last : notBefore);
    }
}
