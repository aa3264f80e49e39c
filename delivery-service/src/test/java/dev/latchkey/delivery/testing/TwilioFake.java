package dev.latchkey.delivery.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in for Twilio's Messages API on a random loopback port, for the real twilio-java client. It records every
 * request (form fields, Authorization header, arrival time) and answers 201 with a message resource, unless a test
 * scripted other answers for a recipient (e.g. 429 then 201).
 *
 * <p>
 * An HTTP/1.1 server (Vert.x, one event loop, keep-alive) so that in the benchmark the fake costs little of the CPU
 * the service is measured on.
 */
public final class TwilioFake implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, String authorization, Map<String, String> form, long arrivedMillis,
            int answeredStatus, String sid) {

        public String field(String name) {
            return form.get(name);
        }
    }

    /** A scripted answer. */
    public record Answer(int status, String body) {

        public static Answer error(int status, int code, String message) {
            return new Answer(status, "{\"code\":" + code + ",\"message\":\"" + message
                    + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status
                    + "}");
        }
    }

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");

    private final Vertx vertx;
    private final HttpServer server;
    /** Message SIDs: a random prefix and a counter, unique within a run and across runs. */
    private final String sidPrefix;
    private final AtomicLong sids = new AtomicLong();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, CreateThen> createThen = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private volatile boolean recordRequests = true;
    private volatile long latencyMillis;
    /** Requests received and not answered yet, and the most there were at once. */
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong maxOpen = new AtomicLong();

    public TwilioFake() throws Exception {
        byte[] prefix = new byte[10];
        new SecureRandom().nextBytes(prefix);
        sidPrefix = "SM" + HexFormat.of().formatHex(prefix);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
                .requestHandler(req -> {
                    long arrived = System.currentTimeMillis();
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    req.body().onSuccess(body -> handle(req, body, arrived))
                            .onFailure(e -> {
                                open.decrementAndGet();
                                req.response().setStatusCode(400).end();
                            });
                });
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers for the next requests to this recipient, in order; after them, 201 again. */
    public void script(String to, Answer... answers) {
        scripts.put(to, new ArrayDeque<>(List.of(answers)));
    }

    /**
     * The next request to this recipient creates its message (a SID, counted and recorded as created) and then waits
     * for {@code meanwhile} (given the request) before it answers {@code answer}, or 201 with the message when that
     * is null: Twilio's status callback can reach the service before the answer to the call that created the message,
     * and a message can be created although its answer is an error (a timeout, a proxy's 5xx).
     */
    public void createThen(String to, Function<Request, CompletionStage<?>> meanwhile, Answer answer) {
        createThen.put(to, new CreateThen(meanwhile, answer));
    }

    private record CreateThen(Function<Request, CompletionStage<?>> meanwhile, Answer answer) {
    }

    /** For benchmarks: count only, keep no request. */
    public void recordRequests(boolean record) {
        this.recordRequests = record;
    }

    /**
     * For benchmarks: answer each request this long after it arrived (on a timer, holding nothing), as the real API
     * does in 100-300 ms. The arrival time recorded is still the moment the request came in.
     */
    public void latency(java.time.Duration latency) {
        this.latencyMillis = latency.toMillis();
    }

    /** The most requests this fake held unanswered at one moment (they overlap only with a latency set). */
    public long maxOpen() {
        return maxOpen.get();
    }

    public long createdCount() {
        return created.get();
    }

    public List<Request> requestsTo(String to) {
        synchronized (requests) {
            return requests.stream().filter(r -> to.equals(r.field("To"))).toList();
        }
    }

    /** Requests that created a message (answered 201). */
    public List<Request> messagesTo(String to) {
        return requestsTo(to).stream().filter(r -> r.answeredStatus() == 201).toList();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpServerRequest req, Buffer rawBody, long arrived) {
        String body = rawBody.toString(StandardCharsets.UTF_8);
        Map<String, String> form = parse(body);
        String path = req.path();
        Matcher messages = MESSAGES.matcher(path);
        if (req.method() != HttpMethod.POST || !messages.matches()) {
            answer(req, 404, "{\"code\":20404,\"message\":\"not found\",\"status\":404}");
            return;
        }
        CreateThen then = createThen.remove(form.getOrDefault("To", ""));
        if (then != null) {
            String sid = nextSid();
            int status = then.answer() == null ? 201 : then.answer().status();
            String out = then.answer() == null ? message(sid, messages.group(1), form) : then.answer().body();
            Request r = new Request(path, req.getHeader("Authorization"), form, arrived, status, sid);
            requests.add(r);
            created.incrementAndGet();
            then.meanwhile().apply(r).whenComplete((x, e) -> vertx.runOnContext(v -> answer(req, status, out)));
            return;
        }
        Answer scripted = null;
        Deque<Answer> script = scripts.get(form.getOrDefault("To", ""));
        if (script != null) {
            synchronized (script) {
                scripted = script.poll();
            }
        }
        String sid = null;
        int status;
        String out;
        if (scripted != null && scripted.status() != 201) {
            status = scripted.status();
            out = scripted.body();
        } else {
            sid = nextSid();
            status = 201;
            out = message(sid, messages.group(1), form);
        }
        if (recordRequests) {
            requests.add(new Request(path, req.getHeader("Authorization"), form, arrived, status, sid));
        }
        if (sid != null) {
            // Counted once recorded: whoever waits for the count finds the request in the list.
            created.incrementAndGet();
        }
        long delay = latencyMillis;
        if (delay > 0) {
            int answeredStatus = status;
            vertx.setTimer(delay, timer -> answer(req, answeredStatus, out));
        } else {
            answer(req, status, out);
        }
    }

    private String nextSid() {
        return sidPrefix + String.format("%012x", sids.incrementAndGet());
    }

    /** The message resource Twilio answers a create with. */
    private static String message(String sid, String account, Map<String, String> form) {
        return "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + account + "\",\"status\":\"queued\","
                + "\"to\":\"" + json(form.get("To")) + "\",\"from\":" + (form.get("From") == null
                        ? "null"
                        : "\"" + json(form.get("From")) + "\"")
                + ",\"messaging_service_sid\":" + (form.get("MessagingServiceSid") == null
                        ? "null"
                        : "\"" + json(form.get("MessagingServiceSid")) + "\"")
                + ",\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}";
    }

    private void answer(HttpServerRequest req, int status, String body) {
        open.decrementAndGet();
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the Twilio fake did not stop", e);
        }
    }
}
