package dev.latchkey.delivery.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptRunner;

/**
 * The local SMS outbox: the messages that would have gone through Twilio, newest first, in a Redis list per recipient
 * ({@code delivery:outbox:<E.164 number>}), trimmed and expiring. For machines without Twilio credentials only: it
 * holds message bodies, codes included, the way a phone would.
 */
@ApplicationScoped
public class OutboxStore {

    private static final LuaScript PUSH = LuaScript.load("outbox-push.lua");

    private final ReactiveRedisDataSource redis;
    private final ScriptRunner scripts;
    private final ObjectMapper mapper;

    public OutboxStore(ReactiveRedisDataSource redis, ScriptRunner scripts, ObjectMapper mapper) {
        this.redis = redis;
        this.scripts = scripts;
        this.mapper = mapper;
    }

    /** One message in the outbox. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutboxMessage(String id, String to, String from, String body, String eventId, String connection,
            Integer segments, Instant createdAt) {
    }

    public Uni<Void> add(OutboxMessage message, int keep, Duration retention) {
        String json;
        try {
            json = mapper.writeValueAsString(message);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalStateException("outbox message does not serialise"));
        }
        return scripts.run(PUSH.call(List.of(key(message.to())), List.of(json, Integer.toString(Math.max(1, keep)),
                Long.toString(Math.max(1000, retention.toMillis()))))).replaceWithVoid();
    }

    /** Newest first. */
    public Uni<List<OutboxMessage>> list(String to) {
        return redis.list(String.class).lrange(key(to), 0, -1)
                .map(items -> items.stream().map(this::read).toList());
    }

    private OutboxMessage read(String json) {
        try {
            return mapper.readValue(json, OutboxMessage.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable outbox entry");
        }
    }

    private static String key(String to) {
        return "delivery:outbox:" + to;
    }
}
