package dev.latchkey.common.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A map of values that are costly to make (parsed templates, clients, opened secrets) with a bound on its size: past
 * {@code maxEntries} the entry used least recently goes, one at a time, so a service with many connections keeps its
 * busy ones instead of losing them all at once. With a {@code timeToLive} an entry is also made again once it is that
 * old, and every expired entry is dropped at the next use of the cache: a cache of opened secrets keeps a plaintext
 * in memory for a while, not for the life of the process, and the plaintext of a rotated or removed secret goes even
 * if its connection is never used again.
 *
 * <p>
 * Thread-safe; a value is made outside the lock, so two threads that miss at once may both make it (the first one
 * stored wins for later readers). Neither keys nor values are ever shown by {@link #toString()}.
 */
public final class BoundedCache<K, V> {

    private final int maxEntries;
    private final long timeToLiveMillis;
    private final Clock clock;
    private final LinkedHashMap<K, Held<V>> entries;
    private long sweptAtMillis;

    private record Held<V>(V value, long madeAtMillis) {
    }

    private BoundedCache(int maxEntries, Duration timeToLive, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.timeToLiveMillis = timeToLive == null ? Long.MAX_VALUE : timeToLive.toMillis();
        this.clock = Objects.requireNonNull(clock);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Held<V>> eldest) {
                return size() > BoundedCache.this.maxEntries;
            }
        };
    }

    /** At most {@code maxEntries}, kept as long as they are used often enough. */
    public static <K, V> BoundedCache<K, V> of(int maxEntries) {
        return new BoundedCache<>(maxEntries, null, Clock.systemUTC());
    }

    /** At most {@code maxEntries}, each made again once older than {@code timeToLive} by {@code clock}. */
    public static <K, V> BoundedCache<K, V> expiring(int maxEntries, Duration timeToLive, Clock clock) {
        return new BoundedCache<>(maxEntries, Objects.requireNonNull(timeToLive), clock);
    }

    /**
     * The value for {@code key}, made by {@code make} when absent or expired. A failure of {@code make} is thrown and
     * nothing is stored.
     */
    public V get(K key, Function<? super K, ? extends V> make) {
        long now = clock.millis();
        synchronized (entries) {
            sweep(now);
            Held<V> e = entries.get(key);
            if (e != null && now - e.madeAtMillis() < timeToLiveMillis) {
                return e.value();
            }
        }
        V value = Objects.requireNonNull(make.apply(key), "a cached value may not be null");
        synchronized (entries) {
            Held<V> raced = entries.get(key);
            if (raced != null && raced.madeAtMillis() >= now && now - raced.madeAtMillis() < timeToLiveMillis) {
                return raced.value();
            }
            entries.put(key, new Held<>(value, now));
        }
        return value;
    }

    /** Drops the expired entries, at most once a second (a pass over at most {@code maxEntries}). */
    private void sweep(long now) {
        if (timeToLiveMillis == Long.MAX_VALUE || now - sweptAtMillis < 1000) {
            return;
        }
        sweptAtMillis = now;
        entries.values().removeIf(e -> now - e.madeAtMillis() >= timeToLiveMillis);
    }

    /** Forgets every entry (e.g. when what they were made from changed). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    @Override
    public String toString() {
        return "BoundedCache[" + size() + "/" + maxEntries + "]";
    }
}
