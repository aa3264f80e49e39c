package dev.latchkey.token.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptRunner;

/**
 * The OTP state otp-service writes (layout: {@link OtpState}), as token-service uses it: one atomic verification per
 * attempt, and the marker that keeps otp-service from sending codes to a blocked user.
 */
@ApplicationScoped
public class OtpStore {

    private static final LuaScript VERIFY = LuaScript.load("verify.lua");

    private final ReactiveRedisDataSource redis;
    private final ScriptRunner scripts;

    public OtpStore(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.scripts = new ScriptRunner(redis.getRedis(), clientType);
    }

    /** What one verification found. */
    public enum Outcome {
        OK, WRONG, EXHAUSTED, EXPIRED, LOCKED
    }

    /**
     * @param value for {@code LOCKED} the lock's remaining milliseconds, for {@code WRONG} the guesses left
     * @param params the authParams JSON stored with the code at start (only for {@code OK}; may be empty)
     */
    public record Verification(Outcome outcome, long value, String params) {
    }

    /** A verification request: the HMAC of the presented code and who presents it. */
    public record Attempt(String connection, String recipient, String hmac, String clientId, long nowMs,
            boolean consume) {
    }

    public Uni<Verification> verify(Attempt a, int lockThreshold, long failWindowMs) {
        List<String> keys = List.of(OtpState.codeKey(a.connection(), a.recipient()),
                OtpState.failsKey(a.connection(), a.recipient()), OtpState.lockKey(a.connection(), a.recipient()));
        List<String> args = List.of(a.hmac(), a.clientId(), Long.toString(a.nowMs()), Integer.toString(lockThreshold),
                Long.toString(failWindowMs), a.consume() ? "1" : "0");
        return scripts.run(VERIFY.call(keys, args)).map(OtpStore::verification);
    }

    /** The authParams JSON kept with the recipient's live code, if any (a plain read, for choosing a redirect). */
    public Uni<String> params(String connection, String recipient) {
        return redis.execute("HGET", OtpState.codeKey(connection, recipient), OtpState.FIELD_PARAMS)
                .map(r -> r == null ? null : r.toString());
    }

    /** Sets or clears the marker by which otp-service refuses (silently) to send codes to a blocked user. */
    public Uni<Void> markBlocked(String connection, String recipient, boolean blocked) {
        String key = OtpState.blockedKey(connection, recipient);
        return (blocked ? redis.execute("SET", key, "1") : redis.execute("DEL", key)).replaceWithVoid();
    }

    private static Verification verification(Response r) {
        String outcome = r.get(0).toString();
        long value = r.get(1).toLong();
        return switch (outcome) {
            case "ok" -> new Verification(Outcome.OK, 0, r.size() > 2 ? r.get(2).toString() : "");
            case "wrong" -> new Verification(Outcome.WRONG, value, null);
            case "exhausted" -> new Verification(Outcome.EXHAUSTED, 0, null);
            case "expired" -> new Verification(Outcome.EXPIRED, 0, null);
            case "locked" -> new Verification(Outcome.LOCKED, value, null);
            default -> throw new IllegalStateException("verify.lua answered " + outcome);
        };
    }
}
