package dev.latchkey.common.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Runs {@link LuaScript}s on Redis by EVALSHA; a call Redis answers NOSCRIPT (restart, failover to a replica, SCRIPT
 * FLUSH) did not run and is sent again as EVAL, which also puts the script back into the server's cache.
 *
 * <p>
 * <b>Several calls, one round trip.</b> {@link #runAll} sends its calls as one pipelined batch on a single Redis
 * (standalone or Sentinel): one write, one round trip. On Redis Cluster a batch cannot span hash slots, so the calls
 * go out at the same time, each to its own node — still one round trip of latency — and each falls back on its own.
 *
 * <p>
 * <b>A batch is all or nothing.</b> A failed batch hides which of its calls ran, so a batch must never fail on
 * NOSCRIPT after some of its scripts ran. A batch's scripts are therefore loaded at its head (SCRIPT LOAD, same round
 * trip) until this process has run them once, so a script a deploy changed is known before any call of the batch
 * runs; and SCRIPT LOAD, unlike EVAL, loads a script Redis never evicts. After that, NOSCRIPT in a batch means the
 * server lost its whole script cache, which no call of the batch escapes: none ran, and the batch is sent again with
 * its scripts loaded at its head.
 */
public final class ScriptRunner {

    private static final Logger LOG = Logger.getLogger(ScriptRunner.class);

    private final Link link;
    private final boolean cluster;

    /**
     * @param clientType the value of {@code quarkus.redis.client-type} ({@code standalone}, {@code sentinel},
     *            {@code cluster}, {@code replication})
     */
    public ScriptRunner(Redis redis, String clientType) {
        this(new Link() {

            @Override
            public Uni<Response> send(Request request) {
                return redis.send(request);
            }

            @Override
            public Uni<List<Response>> batch(List<Request> requests) {
                return redis.batch(requests);
            }
        }, "cluster".equalsIgnoreCase(clientType));
    }

    ScriptRunner(Link link, boolean cluster) {
        this.link = link;
        this.cluster = cluster;
    }

    /** Runs one call. */
    public Uni<Response> run(ScriptCall call) {
        return link.send(call.request(true)).onFailure(ScriptRunner::noScript)
                .recoverWithUni(() -> link.send(call.request(false)));
    }

    /** Runs the calls in one round trip (see the class comment); the replies come in the order of the calls. */
    public Uni<List<Response>> runAll(List<ScriptCall> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (cluster) {
            List<Uni<Response>> each = new ArrayList<>(calls.size());
            for (ScriptCall c : calls) {
                each.add(run(c));
            }
            return Uni.join().all(each).andFailFast();
        }
        Set<LuaScript> scripts = new LinkedHashSet<>();
        calls.forEach(c -> scripts.add(c.script()));
        boolean allSent = scripts.stream().allMatch(LuaScript::sent);
        Uni<List<Response>> replies = batch(allSent ? Set.of() : scripts, calls);
        if (allSent) {
            replies = replies.onFailure(ScriptRunner::noScript).recoverWithUni(e -> {
                LOG.infof("Redis does not have the scripts cached (%s); loading them again", e.getMessage());
                return batch(scripts, calls);
            });
        }
        return replies.invoke(() -> scripts.forEach(LuaScript::markSent));
    }

    /** One batch: SCRIPT LOAD of each of {@code load}, then the calls by EVALSHA; answers the calls' replies. */
    private Uni<List<Response>> batch(Set<LuaScript> load, List<ScriptCall> calls) {
        List<Request> requests = new ArrayList<>(load.size() + calls.size());
        for (LuaScript s : load) {
            requests.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.source()));
        }
        for (ScriptCall c : calls) {
            requests.add(c.request(true));
        }
        int skip = load.size();
        return link.batch(requests).map(all -> all.subList(skip, all.size()));
    }

    /**
     * Whether a failure is Redis's NOSCRIPT. A batch's failure lists the errors of all its replies, one a line, each
     * prefixed by its index, so the word is looked for anywhere in the message.
     */
    static boolean noScript(Throwable e) {
        return e.getMessage() != null && e.getMessage().contains("NOSCRIPT");
    }

    /** How requests reach Redis: the client in production, a fake in the runner's unit tests. */
    interface Link {

        Uni<Response> send(Request request);

        Uni<List<Response>> batch(List<Request> requests);
    }
}
