package dev.latchkey.common.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.redis.client.impl.types.SimpleStringType;

/**
 * The runner's decisions, against a fake Redis that keeps a script cache: what goes out as EVALSHA, EVAL or SCRIPT
 * LOAD, when a call is sent again, and that no call of a batch runs twice.
 */
class ScriptRunnerTest {

    /** A Redis with a script cache; each reply names the script that ran ("ran:<sha>"). */
    static final class FakeRedis implements ScriptRunner.Link {

        final Set<String> cache = new HashSet<>();
        final List<List<String>> wire = new ArrayList<>();
        final List<String> ran = new ArrayList<>();

        @Override
        public Uni<Response> send(Request request) {
            wire.add(List.of(describe(request)));
            try {
                return Uni.createFrom().item(execute(request));
            } catch (ErrorType e) {
                return Uni.createFrom().failure(e);
            }
        }

        @Override
        public Uni<List<Response>> batch(List<Request> requests) {
            wire.add(requests.stream().map(FakeRedis::describe).toList());
            List<Response> replies = new ArrayList<>();
            StringBuilder errors = new StringBuilder();
            for (int i = 0; i < requests.size(); i++) {
                try {
                    replies.add(execute(requests.get(i)));
                } catch (ErrorType e) {
                    errors.append(errors.isEmpty() ? "" : "\n").append("ERR [").append(i).append(']').append(e);
                }
            }
            return errors.isEmpty()
                    ? Uni.createFrom().item(replies)
                    : Uni.createFrom().failure(ErrorType.create(errors.toString()));
        }

        private Response execute(Request request) throws ErrorType {
            List<String> args = args(request);
            return switch (args.get(0)) {
                case "SCRIPT" -> {
                    cache.add(sha(args.get(2)));
                    yield reply(sha(args.get(2)));
                }
                case "EVAL" -> {
                    String sha = sha(args.get(1));
                    cache.add(sha);
                    ran.add(sha);
                    yield reply("ran:" + sha);
                }
                case "EVALSHA" -> {
                    String sha = sha(args.get(1));
                    if (!cache.contains(sha)) {
                        throw ErrorType.create("NOSCRIPT No matching script. Please use EVAL.");
                    }
                    ran.add(sha);
                    yield reply("ran:" + sha);
                }
                default -> throw new AssertionError(args);
            };
        }

        private static String describe(Request request) {
            return args(request).get(0);
        }

        /** The request's words, read back from its RESP encoding (a "$length" line before each). */
        private static List<String> args(Request request) {
            String[] lines = request.getDelegate().toString().split("\r\n");
            List<String> words = new ArrayList<>();
            for (int i = 1; i + 1 < lines.length; i += 2) {
                words.add(lines[i + 1]);
            }
            words.set(0, words.get(0).toUpperCase(Locale.ROOT));
            return words;
        }

        private static String sha(String sourceOrSha) {
            return SCRIPTS.stream()
                    .filter(s -> s.source().equals(sourceOrSha) || s.sha1().equals(sourceOrSha))
                    .findFirst().orElseThrow().sha1();
        }

        private static Response reply(String text) {
            return Response.newInstance(SimpleStringType.create(text));
        }
    }

    static final List<LuaScript> SCRIPTS = new ArrayList<>();

    private static LuaScript script(String source) {
        LuaScript s = new LuaScript("t", source);
        SCRIPTS.add(s);
        return s;
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void oneCallGoesByShaAndFallsBackToEvalOnNoscript() {
        LuaScript s = script("return_1");
        FakeRedis redis = new FakeRedis();
        ScriptRunner runner = new ScriptRunner(redis, false);

        assertEquals("ran:" + s.sha1(), await(runner.run(s.call(List.of("k"), List.of()))).toString());
        assertEquals(List.of(List.of("EVALSHA"), List.of("EVAL")), redis.wire);

        redis.wire.clear();
        await(runner.run(s.call(List.of("k"), List.of())));
        assertEquals(List.of(List.of("EVALSHA")), redis.wire, "cached now: no second EVAL");
        assertEquals(2, redis.ran.size());
    }

    @Test
    void aBatchLoadsItsScriptsAtItsHeadUntilTheyRanOnce() {
        LuaScript a = script("return_a");
        LuaScript b = script("return_b");
        FakeRedis redis = new FakeRedis();
        ScriptRunner runner = new ScriptRunner(redis, false);

        List<Response> replies = await(runner.runAll(List.of(a.call(List.of("x"), List.of()),
                b.call(List.of("y"), List.of()), a.call(List.of("z"), List.of()))));

        assertEquals(List.of("ran:" + a.sha1(), "ran:" + b.sha1(), "ran:" + a.sha1()),
                replies.stream().map(Response::toString).toList(), "the calls' replies, in order, loads left out");
        assertEquals(List.of(List.of("SCRIPT", "SCRIPT", "EVALSHA", "EVALSHA", "EVALSHA")), redis.wire,
                "one round trip, each script loaded once");

        redis.wire.clear();
        await(runner.runAll(List.of(a.call(List.of("x"), List.of()), b.call(List.of("y"), List.of()))));
        assertEquals(List.of(List.of("EVALSHA", "EVALSHA")), redis.wire);
    }

    @Test
    void aBatchThatMeetsAnEmptiedCacheRanNothingAndIsSentAgainOnce() {
        LuaScript a = script("return_c");
        LuaScript b = script("return_d");
        FakeRedis redis = new FakeRedis();
        ScriptRunner runner = new ScriptRunner(redis, false);
        await(runner.runAll(List.of(a.call(List.of("x"), List.of()), b.call(List.of("y"), List.of()))));
        redis.cache.clear();
        redis.ran.clear();
        redis.wire.clear();

        List<Response> replies = await(
                runner.runAll(List.of(a.call(List.of("x"), List.of()), b.call(List.of("y"), List.of()))));

        assertEquals(2, replies.size());
        assertEquals(List.of(a.sha1(), b.sha1()), redis.ran, "each call ran once");
        assertEquals(List.of(List.of("EVALSHA", "EVALSHA"), List.of("SCRIPT", "SCRIPT", "EVALSHA", "EVALSHA")),
                redis.wire);
    }

    @Test
    void aScriptChangedByADeployIsLoadedBeforeAnyCallOfItsBatchRuns() {
        LuaScript old = script("return_e");
        LuaScript changed = script("return_f");
        FakeRedis redis = new FakeRedis();
        ScriptRunner runner = new ScriptRunner(redis, false);
        await(runner.runAll(List.of(old.call(List.of("x"), List.of()))));
        redis.ran.clear();
        redis.wire.clear();

        await(runner.runAll(List.of(old.call(List.of("x"), List.of()), changed.call(List.of("y"), List.of()))));

        assertEquals(List.of(old.sha1(), changed.sha1()), redis.ran, "no NOSCRIPT, so nothing ran twice");
        assertEquals(1, redis.wire.size());
    }

    @Test
    void onAClusterEachCallGoesAloneAndFallsBackAlone() {
        LuaScript a = script("return_g");
        LuaScript b = script("return_h");
        FakeRedis redis = new FakeRedis();
        redis.cache.add(a.sha1());
        ScriptRunner runner = new ScriptRunner(redis, true);

        List<Response> replies = await(
                runner.runAll(List.of(a.call(List.of("{1}"), List.of()), b.call(List.of("{2}"), List.of()))));

        assertEquals(List.of("ran:" + a.sha1(), "ran:" + b.sha1()), replies.stream().map(Response::toString).toList());
        assertEquals(List.of(List.of("EVALSHA"), List.of("EVALSHA"), List.of("EVAL")), redis.wire,
                "no batch across slots; only the script the node lacked is sent in full");
        assertEquals(List.of(a.sha1(), b.sha1()), redis.ran);
    }

    @Test
    void anotherErrorIsNotRetried() {
        LuaScript s = script("return_i");
        FakeRedis redis = new FakeRedis();
        ScriptRunner failing = new ScriptRunner(new ScriptRunner.Link() {

            @Override
            public Uni<Response> send(Request request) {
                redis.wire.add(List.of(FakeRedis.describe(request)));
                return Uni.createFrom().failure(ErrorType.create("ERR user_script:1: boom"));
            }

            @Override
            public Uni<List<Response>> batch(List<Request> requests) {
                return redis.batch(requests);
            }
        }, false);

        Throwable e = assertThrows(RuntimeException.class, () -> await(failing.run(s.call(List.of("k"), List.of()))));
        assertEquals("ERR user_script:1: boom", e.getCause().getMessage());
        assertEquals(List.of(List.of("EVALSHA")), redis.wire);
    }

    @Test
    void noscriptIsFoundInABatchFailure() {
        assertTrue(ScriptRunner.noScript(ErrorType.create("ERR [1]NOSCRIPT No matching script.")));
        assertTrue(!ScriptRunner.noScript(ErrorType.create("ERR [0]WRONGTYPE Operation")));
    }

    @Test
    void scriptsLoadFromSeveralFilesInOrder() {
        LuaScript s = LuaScript.load("lib.lua", "two.lua");
        assertEquals("local function two() return 2 end\nreturn two()\n", s.source());
        assertEquals("lib.lua+two.lua", s.name());
        assertThrows(IllegalStateException.class, () -> LuaScript.load("absent.lua"));
    }
}
