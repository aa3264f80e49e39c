package dev.latchkey.otp.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;

import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptCall;
import dev.latchkey.common.redis.ScriptRunner;
import dev.latchkey.otp.config.OtpConfig;
import dev.latchkey.otp.store.IssueOutcome.Limit;

/**
 * The OTP state otp-service writes to Redis (layout: {@link OtpState}) and its rate limits.
 *
 * <p>
 * <b>One round trip, Redis Cluster safe.</b> A Lua script may only touch keys of one hash slot on Redis Cluster, and
 * the three limits live on three different slots: the recipient's keys carry the tag {@code {connection|recipient}},
 * the per-IP limiter {@code {ip}}, the per-client limiter {@code {client_id}} (one slot per IP or client, rather than
 * one hot slot for all). So each start runs up to three scripts: {@code limit.lua} for the IP, {@code limit.lua} for
 * the client, and {@code issue.lua}, which checks the recipient's limits and writes the code in one atomic step on
 * the recipient's slot. On a single Redis (standalone or Sentinel) the three go out as one pipelined batch: one
 * write, one round trip. On Redis Cluster they go out at the same time to their nodes: still one round trip of
 * latency, since the client cannot batch across slots.
 *
 * <p>
 * <b>All or nothing.</b> The scripts cannot see each other's verdicts within that round trip, so each one takes its
 * unit optimistically. If any says no, the ones that said yes are given back ({@code unlimit.lua},
 * {@code undo.lua}) before the 429 is returned: a second round trip, paid only by refused requests. {@code issue.lua}
 * stashes the code it replaces, so giving back restores the user's previous code rather than leaving none. The same
 * give-back ({@link #release}) runs when Kafka does not take the delivery event. A start that does not return 200
 * therefore leaves no trace in Redis, apart from a sub-millisecond window in which the refused code was current.
 */
@ApplicationScoped
public class OtpStore {

    private static final LuaScript ISSUE = LuaScript.load("issue.lua");
    private static final LuaScript UNDO = LuaScript.load("undo.lua");
    private static final LuaScript LIMIT = LuaScript.load("limit.lua");
    private static final LuaScript UNLIMIT = LuaScript.load("unlimit.lua");

    private final ScriptRunner scripts;
    private final OtpConfig.RateLimits limits;
    private final Clock clock;

    public OtpStore(Redis redis, OtpConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.scripts = new ScriptRunner(redis, clientType);
        this.limits = config.rateLimit();
        this.clock = clock;
    }

    /** Per-IP limiter key; its own hash slot per address. */
    static String ipKey(String ip) {
        return "otp:limit:ip:{" + ip + "}";
    }

    /** Per-client limiter key; its own hash slot per client. */
    static String clientKey(String clientId) {
        return "otp:limit:client:{" + clientId + "}";
    }

    /**
     * Checks every limit and, if all allow, writes the code — see the class comment for how that stays one round trip.
     */
    public Uni<IssueOutcome> issue(CodeRecord r) {
        List<Step> steps = sharedLimits(r);
        steps.add(new Step(null, ISSUE, recipientKeys(r), issueArgs(r)));
        return run(steps).onItem().transformToUni(replies -> decide(r, steps, replies));
    }

    /** Takes back an {@link IssueOutcome.Status#ISSUED} start whose delivery event Kafka did not take. */
    public Uni<Void> release(CodeRecord r) {
        long now = clock.millis();
        List<Step> steps = new ArrayList<>();
        for (Step s : sharedLimits(r)) {
            steps.add(s.giveBack(now));
        }
        steps.add(undoStep(r));
        return run(steps).replaceWithVoid();
    }

    private List<Step> sharedLimits(CodeRecord r) {
        List<Step> steps = new ArrayList<>(3);
        if (limits.ip().limit() > 0 && r.ip() != null) {
            steps.add(Step.limit(Limit.IP, ipKey(r.ip()), r.nowMs(), limits.ip().period().toMillis(),
                    limits.ip().limit()));
        }
        if (limits.client().limit() > 0) {
            steps.add(Step.limit(Limit.CLIENT, clientKey(r.clientId()), r.nowMs(),
                    limits.client().period().toMillis(), limits.client().limit()));
        }
        return steps;
    }

    private static List<String> recipientKeys(CodeRecord r) {
        return List.of(
                OtpState.codeKey(r.connection(), r.recipient()),
                OtpState.sendsKey(r.connection(), r.recipient()),
                OtpState.lockKey(r.connection(), r.recipient()),
                OtpState.previousKey(r.connection(), r.recipient()),
                OtpState.blockedKey(r.connection(), r.recipient()));
    }

    private List<String> issueArgs(CodeRecord r) {
        var recipient = limits.recipient();
        return List.of(
                Long.toString(r.nowMs()),
                Long.toString(recipient.window().toMillis()),
                Integer.toString(recipient.limit()),
                Long.toString(recipient.minInterval().toMillis()),
                r.eventId(),
                Long.toString(r.ttlMs()),
                OtpState.FIELD_HMAC, r.hmac(),
                OtpState.FIELD_CLIENT, r.clientId(),
                OtpState.FIELD_ATTEMPTS, Integer.toString(r.attempts()),
                OtpState.FIELD_EXPIRES, Long.toString(r.expiresAtMs()),
                OtpState.FIELD_ID, r.eventId(),
                OtpState.FIELD_PARAMS, r.paramsJson());
    }

    private static Step undoStep(CodeRecord r) {
        return new Step(null, UNDO,
                List.of(OtpState.codeKey(r.connection(), r.recipient()),
                        OtpState.sendsKey(r.connection(), r.recipient()),
                        OtpState.previousKey(r.connection(), r.recipient())),
                List.of(r.eventId(), OtpState.FIELD_ID));
    }

    private Uni<IssueOutcome> decide(CodeRecord r, List<Step> steps, List<Response> replies) {
        Limit refusedBy = null;
        long retryAfter = 0;
        List<Step> giveBack = new ArrayList<>();
        long now = r.nowMs();
        for (int i = 0; i < steps.size() - 1; i++) {
            Response reply = replies.get(i);
            if (reply.get(0).toInteger() == 1) {
                giveBack.add(steps.get(i).giveBack(now));
            } else if (reply.get(1).toLong() >= retryAfter) {
                refusedBy = steps.get(i).limit();
                retryAfter = reply.get(1).toLong();
            }
        }
        Response recipient = replies.get(steps.size() - 1);
        String verdict = recipient.get(0).toString();
        switch (verdict) {
            case "ok", "blocked" -> {
                if (refusedBy == null) {
                    return Uni.createFrom().item("ok".equals(verdict) ? IssueOutcome.ISSUED : IssueOutcome.BLOCKED);
                }
                giveBack.add(undoStep(r));
            }
            case "recipient", "locked" -> {
                long wait = recipient.get(1).toLong();
                if (refusedBy == null || wait >= retryAfter) {
                    refusedBy = "locked".equals(verdict) ? Limit.LOCKED : Limit.RECIPIENT;
                    retryAfter = wait;
                }
            }
            default -> throw new IllegalStateException("issue.lua answered " + verdict);
        }
        IssueOutcome refused = IssueOutcome.limited(refusedBy, retryAfter);
        if (giveBack.isEmpty()) {
            return Uni.createFrom().item(refused);
        }
        return run(giveBack).replaceWith(refused);
    }

    /**
     * Sends the steps in one round trip: one pipelined batch on a single Redis, concurrent per-slot requests on a
     * cluster ({@link ScriptRunner#runAll}, which also makes sure no step of a batch runs twice).
     */
    private Uni<List<Response>> run(List<Step> steps) {
        return scripts.runAll(steps.stream().map(Step::call).toList());
    }

    /** One script call; {@code limit} names the shared limit it checks, null for the recipient's script. */
    private record Step(Limit limit, LuaScript script, List<String> keys, List<String> args) {

        ScriptCall call() {
            return script.call(keys, args);
        }

        static Step limit(Limit limit, String key, long now, long periodMs, int max) {
            return new Step(limit, LIMIT, List.of(key),
                    List.of(Long.toString(now), Long.toString(periodMs), Integer.toString(max)));
        }

        /** The call that gives back what a successful {@code limit.lua} took. */
        Step giveBack(long now) {
            return new Step(limit, UNLIMIT, keys, List.of(Long.toString(now), args.get(1), args.get(2)));
        }
    }
}
