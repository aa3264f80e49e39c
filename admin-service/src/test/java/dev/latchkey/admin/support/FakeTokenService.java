package dev.latchkey.admin.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Stands in for token-service's internal API (users and signing keys, the shapes of its InternalUsersResource and
 * InternalKeysResource) and records what admin-service sent it, so tests can check the relay: paths, query, the
 * forwarded token, bodies.
 */
public final class FakeTokenService {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as received. */
    public record Received(String method, String path, String query, String authorization, String body) {
    }

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    public static final Map<String, ObjectNode> USERS = new ConcurrentHashMap<>();
    private static volatile int failWith;

    private FakeTokenService() {
    }

    /** Answers every request with this status from now on (0: behave). */
    public static void failWith(int status) {
        failWith = status;
    }

    public static ObjectNode addUser(String userId, String phone) {
        ObjectNode u = MAPPER.createObjectNode().put("user_id", userId).put("phone_number", phone)
                .put("phone_verified", true).put("blocked", false).put("logins_count", 1)
                .put("last_login", "2025-01-01T00:00:00Z");
        USERS.put(userId, u);
        return u;
    }

    public static List<Received> received(String pathPrefix) {
        return RECEIVED.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    static void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        RECEIVED.add(new Received(x.getRequestMethod(), path, x.getRequestURI().getRawQuery(),
                x.getRequestHeaders().getFirst("Authorization"), body));
        if (failWith != 0) {
            send(x, failWith, MAPPER.createObjectNode().put("error", "server_error"));
            return;
        }
        String rest = path.substring("/internal".length());
        if (rest.equals("/users") && x.getRequestMethod().equals("GET")) {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            List<ObjectNode> users = new ArrayList<>(USERS.values().stream()
                    .filter(u -> q.get("q") == null || u.path("phone_number").asText().contains(q.get("q")))
                    .sorted((a, b) -> a.path("user_id").asText().compareTo(b.path("user_id").asText())).toList());
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("users", users);
            page.put("start", 0);
            page.put("limit", Integer.parseInt(q.getOrDefault("per_page", "50")));
            page.put("length", users.size());
            page.put("total", users.size());
            send(x, 200, MAPPER.valueToTree(page));
            return;
        }
        if (rest.startsWith("/users/")) {
            String id = URLDecoder.decode(rest.substring("/users/".length()), StandardCharsets.UTF_8);
            ObjectNode u = USERS.get(id);
            if (u == null) {
                send(x, 404, MAPPER.createObjectNode().put("statusCode", 404).put("error", "Not Found")
                        .put("message", "The user does not exist."));
                return;
            }
            switch (x.getRequestMethod()) {
                case "GET" -> send(x, 200, u);
                case "PATCH" -> {
                    JsonNode patch = MAPPER.readTree(body);
                    u.put("blocked", patch.path("blocked").asBoolean());
                    send(x, 200, u);
                }
                case "DELETE" -> {
                    USERS.remove(id);
                    x.sendResponseHeaders(204, -1);
                    x.close();
                }
                default -> send(x, 405, MAPPER.createObjectNode());
            }
            return;
        }
        if (rest.equals("/keys") && x.getRequestMethod().equals("GET")) {
            send(x, 200, MAPPER.readTree("[{\"kid\":\"k1\",\"alg\":\"RS256\",\"current\":true}]"));
            return;
        }
        if (rest.equals("/keys/rotate") && x.getRequestMethod().equals("POST")) {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            send(x, 200, MAPPER.createObjectNode().put("kid", "k2").put("alg", q.getOrDefault("alg", "RS256")));
            return;
        }
        send(x, 404, MAPPER.createObjectNode().put("error", "not_found"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
