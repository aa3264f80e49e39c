package dev.latchkey.delivery.store;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * A messages-per-second limit per sender, shared by every instance because its state lives in Redis (one key per
 * sender, {@code delivery:rate:<sender>}). It is a generic cell rate algorithm: the key holds the theoretical arrival
 * time of the next message; a reservation takes the next free slot and says how long to wait for it. Time comes from
 * the Redis server, so instances with skewed clocks still agree. Up to one second's worth of messages may go in a
 * burst.
 */
@ApplicationScoped
public class SenderRateLimiter {

    private static final RedisScript RESERVE = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tat < now then tat = now end
            local wait = tat - now - (burst - 1) * interval
            if wait < 0 then wait = 0 end
            if wait > tonumber(ARGV[3]) then return {-1, wait} end
            local next_tat = tat + interval
            redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
            return {0, wait}
            """);

    private final ReactiveRedisDataSource redis;

    public SenderRateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * @param granted whether a slot was taken; when false nothing was reserved
     * @param delay how long to wait before sending (granted), or until a slot might be free (not granted)
     */
    public record Reservation(boolean granted, Duration delay) {
    }

    /** Reserves the next slot of {@code sender} if it comes within {@code maxWait}. */
    public Uni<Reservation> reserve(String sender, int perSecond, Duration maxWait) {
        if (perSecond <= 0) {
            return Uni.createFrom().item(new Reservation(true, Duration.ZERO));
        }
        long intervalMicros = Math.max(1, 1_000_000L / perSecond);
        return RESERVE.run(redis, List.of("delivery:rate:" + sender), Long.toString(intervalMicros),
                Integer.toString(perSecond), Long.toString(maxWait.toNanos() / 1000))
                .map(r -> new Reservation(r.get(0).toLong() == 0, Duration.ofNanos(r.get(1).toLong() * 1000)));
    }
}
