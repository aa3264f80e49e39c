package dev.latchkey.delivery.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Twilio's Messages API on a random loopback port, for the real twilio-java client. It records every
 * request (form fields, Authorization header, arrival time) and answers 201 with a message resource, unless a test
 * scripted other answers for a recipient (e.g. 429 then 201).
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

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong created = new AtomicLong();
    private volatile boolean recordRequests = true;

    public TwilioFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers for the next requests to this recipient, in order; after them, 201 again. */
    public void script(String to, Answer... answers) {
        scripts.put(to, new ArrayDeque<>(List.of(answers)));
    }

    /** For benchmarks: count only, keep no request. */
    public void recordRequests(boolean record) {
        this.recordRequests = record;
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

    private void handle(HttpExchange ex) throws IOException {
        long arrived = System.currentTimeMillis();
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = parse(body);
            String path = ex.getRequestURI().getPath();
            if (!"POST".equals(ex.getRequestMethod()) || !path.matches("/2010-04-01/Accounts/[^/]+/Messages\\.json")) {
                answer(ex, 404, "{\"code\":20404,\"message\":\"not found\",\"status\":404}");
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
                byte[] id = new byte[16];
                random.nextBytes(id);
                sid = "SM" + HexFormat.of().formatHex(id);
                status = 201;
                String account = path.split("/")[3];
                out = "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + account + "\",\"status\":\"queued\","
                        + "\"to\":\"" + json(form.get("To")) + "\",\"from\":" + (form.get("From") == null
                                ? "null"
                                : "\"" + json(form.get("From")) + "\"")
                        + ",\"messaging_service_sid\":" + (form.get("MessagingServiceSid") == null
                                ? "null"
                                : "\"" + json(form.get("MessagingServiceSid")) + "\"")
                        + ",\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}";
                created.incrementAndGet();
            }
            if (recordRequests) {
                requests.add(new Request(path, ex.getRequestHeaders().getFirst("Authorization"), form, arrived,
                        status, sid));
            }
            answer(ex, status, out);
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
