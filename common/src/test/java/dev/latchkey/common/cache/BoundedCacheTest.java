package dev.latchkey.common.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {

        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void pastItsBoundTheLeastRecentlyUsedEntryGoesAlone() {
        BoundedCache<String, String> cache = BoundedCache.of(3);
        List<String> made = new ArrayList<>();
        for (String k : List.of("a", "b", "c")) {
            cache.get(k, key -> {
                made.add(key);
                return key.toUpperCase(java.util.Locale.ROOT);
            });
        }
        cache.get("a", key -> "never made");
        cache.get("d", key -> "D");
        assertEquals(3, cache.size(), "one entry went, not all of them");
        assertEquals("A", cache.get("a", key -> "made again"), "used recently: kept");
        assertEquals("C", cache.get("c", key -> "made again"));
        assertEquals("made again", cache.get("b", key -> "made again"), "the least recently used one went");
    }

    @Test
    void anEntryIsMadeAgainOnceOlderThanItsTimeToLiveAndExpiredOnesAreDropped() {
        TestClock clock = new TestClock();
        BoundedCache<String, String> secrets = BoundedCache.expiring(100, Duration.ofMinutes(10), clock);
        secrets.get("connection-a", k -> "secret-1");
        secrets.get("connection-b", k -> "secret-b");
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertEquals("secret-1", secrets.get("connection-a", k -> "secret-2"));
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertEquals("secret-2", secrets.get("connection-a", k -> "secret-2"), "older than 10 minutes: made again");
        assertEquals(1, secrets.size(), "connection-b's plaintext is gone though it was not asked for again");
    }

    @Test
    void aFailureStoresNothingAndNothingShowsInToString() {
        BoundedCache<String, String> cache = BoundedCache.of(10);
        assertThrows(IllegalStateException.class, () -> cache.get("k", key -> {
            throw new IllegalStateException("cannot open");
        }));
        assertEquals(0, cache.size());
        cache.get("key", k -> "plaintext");
        assertFalse(cache.toString().contains("plaintext") || cache.toString().contains("key"), cache.toString());
        assertThrows(IllegalArgumentException.class, () -> BoundedCache.of(0));
    }
}
