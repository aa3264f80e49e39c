package dev.latchkey.delivery.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptRunner;

/**
 * The delivery record of each event, in Redis under {@code delivery:event:<event id>}: what makes a redelivered event
 * a no-op. An attempt first claims the record (state {@code calling}) just before the provider call; a record that
 * is already {@code sent}, {@code failed}, {@code expired} or {@code calling} is never claimed again, so the provider
 * is called at most once per event id, whatever Kafka redelivers. A {@code retrying} record can be claimed only by a
 * later attempt. Records live until the code's expiry plus a margin; after that the event is expired anyway.
 *
 * <p>
 * Fields: {@code state}, {@code attempt}, {@code at} (epoch ms of the last change), {@code client},
 * {@code connection}, {@code channel}, {@code provider}, {@code provider_id}, {@code segments}, {@code reason},
 * {@code provider_status} (from Twilio's status callback), {@code step} (the route step of the last claim).
 *
 * <p>
 * On Redis Cluster ({@code quarkus.redis.client-type=cluster}) no script may name the ledger key and a sender's rate
 * key together (they hash to different slots): there {@link #claimWithinRate} reserves the slot first and claims
 * after it, two round trips instead of one. Callers see the same results either way.
 */
@ApplicationScoped
public class DeliveryLedger {

    /** The {@code state} field. */
    public enum State {

        /** Claimed by an attempt that is calling (or died calling) its provider. */
        CALLING, SENT, FAILED, EXPIRED,
        /** Not sent: the event's code was no longer the recipient's current one. */
        REVOKED,
        /** Waiting for a later attempt, which alone may claim it again. */
        RETRYING;

        private final String wire = name().toLowerCase(Locale.ROOT);

        public String wire() {
            return wire;
        }

        static State of(String wire) {
            for (State s : values()) {
                if (s.wire.equals(wire)) {
                    return s;
                }
            }
            return null;
        }
    }

    private static final LuaScript CLAIM = LuaScript.load("claim.lua");

    /**
     * {@link #CLAIM} with the sender's rate-limit slot in the same round trip. A record that is handled already is
     * returned before any slot is taken; a slot that is free now is taken and the event claimed; a slot later than now
     * is taken (or, beyond the longest wait, not) and the event left unclaimed, for a claim when the wait is over.
     * Returns {@code {0}} (claimed), {@code {1, HGETALL}} (handled already) or {@code {2, granted, wait}}.
     */
    private static final LuaScript CLAIM_WITHIN_RATE = LuaScript.load("reserve.lua", "claim-within-rate.lua");

    /**
     * The end of a claimed attempt, written only while the record is still {@code calling}: Twilio's status callback
     * may have recorded the message {@code sent} meanwhile (see {@link #sentIfCalling}), and that must not be
     * overwritten, least of all by a {@code retrying} that would send the code a second time. A record that is gone
     * (expired, or Redis lost it) is written again. Returns 1, or the record as it is.
     */
    private static final LuaScript FINISH = LuaScript.load("finish.lua");

    /** {@code sent} with the message id, only while the record is still {@code calling}. */
    private static final LuaScript SENT_IF_CALLING = LuaScript.load("sent-if-calling.lua");

    private static final LuaScript TAKE_OVER = LuaScript.load("take-over.lua");

    private static final LuaScript ADVANCE = LuaScript.load("advance.lua");

    private final ReactiveRedisDataSource redis;
    private final ScriptRunner scripts;
    private final SenderRateLimiter rateLimiter;
    private final boolean cluster;

    public DeliveryLedger(ReactiveRedisDataSource redis, ScriptRunner scripts, SenderRateLimiter rateLimiter,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String redisClientType) {
        this.redis = redis;
        this.scripts = scripts;
        this.rateLimiter = rateLimiter;
        this.cluster = "cluster".equalsIgnoreCase(redisClientType);
    }

    /** Who the record is about: written with the claim. */
    public record Subject(String eventId, String clientId, String connection, String channel) {
    }

    /** What a claim takes the event for: the state, why (terminal states), and the route step about to be called. */
    public record Claiming(State state, String reason, String provider, Integer step) {

        public static Claiming call(String provider, int step) {
            return new Claiming(State.CALLING, null, provider, step);
        }

        public static Claiming end(State state, String reason, String provider) {
            return new Claiming(state, reason, provider, null);
        }
    }

    /** A record as found. */
    public record Record(Map<String, String> fields) {

        /** {@code null} when the record holds no state this version knows. */
        public State state() {
            return State.of(fields.get("state"));
        }

        /** The route step of the last claim (0 for records written before steps were recorded). */
        public int step() {
            String s = fields.get("step");
            return s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
        }

        public int attempt() {
            return Integer.parseInt(fields.getOrDefault("attempt", "0"));
        }

        public Instant at() {
            return Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault("at", "0")));
        }

        public String get(String field) {
            return fields.get(field);
        }
    }

    /** Result of a claim: empty when this attempt now owns the event, else the record that was already there. */
    public record Claim(Optional<Record> existing) {

        public boolean won() {
            return existing.isEmpty();
        }
    }

    /**
     * Takes the event for this attempt, moving it to the claimed state ({@code calling} before a provider call,
     * {@code expired} or {@code failed} when it ends without one), unless a record says it was handled already.
     */
    public Uni<Claim> claim(Subject s, int attempt, Claiming claiming, Instant now, Duration ttl) {
        return scripts.run(CLAIM.call(List.of(key(s.eventId())), List.of(Integer.toString(attempt),
                Long.toString(now.toEpochMilli()), Long.toString(Math.max(1000, ttl.toMillis())), nz(s.clientId()),
                nz(s.connection()), nz(s.channel()), claiming.state().wire(), nz(claiming.reason()),
                nz(claiming.provider()), claiming.step() == null ? "" : claiming.step().toString())))
                .map(r -> r.type() == ResponseType.MULTI
                        ? new Claim(Optional.of(new Record(flatToMap(r))))
                        : new Claim(Optional.empty()));
    }

    /**
     * The outcome of {@link #claimWithinRate}: either the claim (won, or the record that was there already; no slot
     * was taken for the latter), or, when the sender's next slot is not free now, the reservation and no claim.
     */
    public record RatedClaim(Optional<Claim> claim, SenderRateLimiter.Reservation reservation) {
    }

    /**
     * Claims the event ({@code calling}) for a provider call that also needs a slot of a sender's rate limit, in one
     * round trip: {@link #claim} and {@link SenderRateLimiter#reserve} as if called one after the other, except that
     * an event handled already takes no slot, and an event whose slot is not free now is not claimed (the caller
     * waits for the slot, then {@link #claim}s). On Redis Cluster, two round trips (see the class comment).
     */
    public Uni<RatedClaim> claimWithinRate(Subject s, int attempt, Claiming claiming, Instant now, Duration ttl,
            SenderRateLimiter.Slot slot) {
        if (cluster) {
            return rateLimiter.reserve(slot).chain(r -> r.granted() && r.delay().isZero()
                    ? claim(s, attempt, claiming, now, ttl).map(c -> new RatedClaim(Optional.of(c), r))
                    : Uni.createFrom().item(new RatedClaim(Optional.empty(), r)));
        }
        return scripts.run(CLAIM_WITHIN_RATE.call(List.of(key(s.eventId()), slot.key()), List.of(
                Integer.toString(attempt), Long.toString(now.toEpochMilli()),
                Long.toString(Math.max(1000, ttl.toMillis())), nz(s.clientId()), nz(s.connection()), nz(s.channel()),
                claiming.state().wire(), "", nz(claiming.provider()),
                claiming.step() == null ? "" : claiming.step().toString(), Long.toString(slot.intervalMicros()),
                Integer.toString(slot.burst()), Long.toString(slot.maxWaitMicros()))))
                .map(r -> switch (r.get(0).toInteger()) {
                    case 0 -> new RatedClaim(Optional.of(new Claim(Optional.empty())),
                            new SenderRateLimiter.Reservation(true, Duration.ZERO));
                    case 1 -> new RatedClaim(Optional.of(new Claim(Optional.of(new Record(flatToMap(r.get(1)))))),
                            null);
                    default -> new RatedClaim(Optional.empty(),
                            SenderRateLimiter.reservation(r.get(1).toLong(), r.get(2).toLong()));
                });
    }

    /**
     * Records the end (or next step) of an attempt that claimed the event, if the record is still {@code calling}.
     *
     * @return empty when recorded; else the record that settled the event meanwhile (Twilio's status callback)
     */
    public Uni<Optional<Record>> finish(String eventId, State state, Map<String, String> fields, Instant now,
            Duration ttl) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(Math.max(1000, ttl.toMillis())));
        args.add("state");
        args.add(state.wire());
        args.add("at");
        args.add(Long.toString(now.toEpochMilli()));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(nz(v));
        });
        return scripts.run(FINISH.call(List.of(key(eventId)), args))
                .map(r -> r.type() == ResponseType.MULTI
                        ? Optional.of(new Record(flatToMap(r)))
                        : Optional.<Record>empty());
    }

    /**
     * Takes over a claim whose lease ran out ({@code dead}, as found), for a new call of this attempt: only while the
     * record is still that claim, so of two attempts that found it only one calls.
     */
    public Uni<Claim> takeOver(Subject s, int attempt, Record dead, Claiming claiming, Instant now, Duration ttl) {
        return scripts.run(TAKE_OVER.call(List.of(key(s.eventId())), List.of(dead.fields().getOrDefault("at", ""),
                Integer.toString(attempt), Long.toString(now.toEpochMilli()),
                Long.toString(Math.max(1000, ttl.toMillis())), nz(claiming.provider()),
                claiming.step() == null ? "" : claiming.step().toString())))
                .map(r -> r.type() == ResponseType.MULTI
                        ? new Claim(Optional.of(new Record(flatToMap(r))))
                        : new Claim(Optional.empty()));
    }

    /**
     * Moves this attempt's claim from route step {@code from} to {@code to} (failover), keeping it {@code calling}.
     *
     * @return empty when moved; else the record as it is (a receipt settled it meanwhile)
     */
    public Uni<Optional<Record>> advance(String eventId, int attempt, int from, int to, String provider,
            Instant now) {
        return scripts.run(ADVANCE.call(List.of(key(eventId)), List.of(Integer.toString(from),
                Integer.toString(attempt), Integer.toString(to), provider, Long.toString(now.toEpochMilli()))))
                .map(r -> r.type() == ResponseType.MULTI
                        ? Optional.of(new Record(flatToMap(r)))
                        : Optional.<Record>empty());
    }

    public Uni<Optional<Record>> find(String eventId) {
        return redis.hash(String.class).hgetall(key(eventId))
                .map(m -> m == null || m.isEmpty() ? Optional.<Record>empty() : Optional.of(new Record(m)));
    }

    /**
     * Marks a record {@code sent} whose attempt never recorded its outcome (its process died during the provider
     * call), now that the provider showed the message exists. Keeps the TTL.
     *
     * @return whether the record was still {@code calling} and is now {@code sent}
     */
    public Uni<Boolean> sentIfCalling(String eventId, String provider, String providerId, Instant now) {
        return scripts.run(SENT_IF_CALLING.call(List.of(key(eventId)), List.of(Long.toString(now.toEpochMilli()),
                provider, providerId))).map(r -> r.toInteger() == 1);
    }

    /** Records what the provider later said about the message (delivered, undelivered, ...). Keeps the TTL. */
    public Uni<Void> providerStatus(String eventId, String status, String errorCode, Instant now) {
        return redis.hash(String.class).hset(key(eventId), Map.of("provider_status", nz(status), "provider_error",
                nz(errorCode), "provider_status_at", Long.toString(now.toEpochMilli()))).replaceWithVoid();
    }

    static String key(String eventId) {
        return "delivery:event:" + eventId;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A script's HGETALL comes back as a flat field, value, ... array (scripts speak RESP2). */
    private static Map<String, String> flatToMap(Response r) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < r.size(); i += 2) {
            m.put(r.get(i).toString(), r.get(i + 1).toString());
        }
        return m;
    }
}
