package dev.latchkey.delivery.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the delay before attempt n+1 is half of {@code initial * 2^(n-1)} (capped)
 * plus a random part up to the other half, so retries of many events failing together spread out but never come
 * sooner than half the nominal delay.
 */
public record Backoff(Duration initial, Duration max) {

    /** Delay after the given failed attempt (1 = the first). */
    public Duration after(int failedAttempt) {
        long initialMs = Math.max(1, initial.toMillis());
        int shift = Math.min(Math.max(failedAttempt - 1, 0), 30);
        long nominal = Math.min(max.toMillis(), initialMs << shift);
        long half = nominal / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(nominal - half + 1));
    }
}
