package dev.latchkey.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed input against every public endpoint through the one origin (issue 20 §3): generated from a fixed seed, so a
 * failure replays. Bodies (invalid, truncated and deeply nested JSON, forms with broken escapes, NUL bytes, bad UTF-8,
 * huge values), content types that do not parse, queries and paths with NUL and broken escapes, and bearer tokens that
 * are not JWTs, with and without a valid management token. None may get a 5xx, nor a body that shows a stack trace or
 * a Java class. Requests go over a raw socket so that what no HTTP client would send still reaches the services.
 */
@ExtendWith(ServiceLogsOnFailure.class)
class MalformedInputFuzzIT {

    private static final long SEED = 20_3L;
    private static final int CASES = 1_200;
    private static final Pattern LEAK = Pattern.compile(
            "Exception|java\\.|javax\\.|jakarta\\.|io\\.quarkus|io\\.vertx|org\\.jboss|com\\.fasterxml|\\tat |Caused by");
    private static Suite suite;

    /** One public endpoint: its method, path, and what it reads (json, form, query or nothing). */
    record Endpoint(String method, String path, String reads, boolean management) {
    }

    /** Every public endpoint behind nginx, from the services' {@code @Path} resources. */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/passwordless/start", "json", false),
            new Endpoint("POST", "/passwordless/verify", "form", false),
            new Endpoint("POST", "/passwordless/verify", "json", false),
            new Endpoint("GET", "/passwordless/verify_redirect", "query", false),
            new Endpoint("POST", "/oauth/token", "form", false),
            new Endpoint("POST", "/oauth/token", "json", false),
            new Endpoint("POST", "/co/authenticate", "json", false),
            new Endpoint("POST", "/co/authenticate", "form", false),
            new Endpoint("GET", "/authorize", "query", false),
            new Endpoint("GET", "/userinfo", "none", false),
            new Endpoint("POST", "/userinfo", "form", false),
            new Endpoint("GET", "/.well-known/openid-configuration", "none", false),
            new Endpoint("GET", "/.well-known/jwks.json", "none", false),
            new Endpoint("GET", "/client/{id}.js", "none", false),
            new Endpoint("GET", "/user/geoloc/country", "none", false),
            new Endpoint("GET", "/demo", "query", false),
            new Endpoint("GET", "/demo/login", "query", false),
            new Endpoint("GET", "/demo/callback", "query", false),
            new Endpoint("POST", "/twilio/status", "form", false),
            new Endpoint("GET", "/dev/outbox/messages", "query", false),
            new Endpoint("POST", "/console/login", "form", false),
            new Endpoint("GET", "/api/v2/clients", "query", true),
            new Endpoint("POST", "/api/v2/clients", "json", true),
            new Endpoint("GET", "/api/v2/clients/{id}", "none", true),
            new Endpoint("PATCH", "/api/v2/clients/{id}", "json", true),
            new Endpoint("DELETE", "/api/v2/clients/{id}", "none", true),
            new Endpoint("POST", "/api/v2/clients/{id}/rotate-secret", "none", true),
            new Endpoint("GET", "/api/v2/connections", "query", true),
            new Endpoint("POST", "/api/v2/connections", "json", true),
            new Endpoint("GET", "/api/v2/connections/{id}", "none", true),
            new Endpoint("PATCH", "/api/v2/connections/{id}", "json", true),
            new Endpoint("DELETE", "/api/v2/connections/{id}", "none", true),
            new Endpoint("GET", "/api/v2/users", "query", true),
            new Endpoint("GET", "/api/v2/users/{id}", "none", true),
            new Endpoint("PATCH", "/api/v2/users/{id}", "json", true),
            new Endpoint("DELETE", "/api/v2/users/{id}", "none", true),
            new Endpoint("GET", "/api/v2/keys/signing", "none", true),
            new Endpoint("GET", "/api/v2/config", "none", true));

    static final List<String> FIELDS = List.of("client_id", "client_secret", "connection", "email", "phone_number",
            "send", "authParams", "grant_type", "username", "otp", "realm", "credential_type", "audience", "scope",
            "code", "code_verifier", "redirect_uri", "refresh_token", "response_type", "state", "nonce",
            "login_ticket", "verification_code", "name", "strategy", "callbacks", "allowed_origins", "app_type",
            "connections", "templates", "blocked", "q", "identifier", "page", "per_page", "include_totals", "to",
            "MessageSid", "MessageStatus", "token", "x");
    static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-www-form-urlencoded",
            ";;;/=", "text/plain", "application/json; charset=bogus", "multipart/form-data; boundary=",
            "application/", "/json", "application/json;;;", "*/*", "", "application/json\tx", "a/b; c");

    @BeforeAll
    static void up() throws Exception {
        suite = Suite.get();
    }

    /** The cases issue 20 §3 names, each once; then {@link #CASES} generated ones. */
    @Test
    void noMalformedRequestGetsAServerErrorOrLeaksJava() throws Exception {
        List<String> failures = new ArrayList<>();
        String mgmt = "Bearer " + suite.managementBearer();
        for (String path : List.of("/oauth/token", "/co/authenticate", "/passwordless/verify", "/passwordless/start",
                "/api/v2/clients")) {
            check(failures, "POST", path, Map.of("Content-Type", ";;;/=", "Authorization", mgmt), bytes("{}"));
        }
        check(failures, "POST", "/oauth/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                bytes("grant_type=%zz&client_id=%E0%A4%A"));
        check(failures, "GET", "/userinfo", Map.of("Authorization", "Bearer " + arrayHeaderToken()), null);
        for (int depth : new int[]{1_000, 5_000, 10_000}) {
            for (String path : List.of("/api/v2/clients", "/api/v2/connections")) {
                check(failures, "POST", path, Map.of("Content-Type", "application/json", "Authorization", mgmt),
                        bytes("{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + "}"));
            }
        }
        check(failures, "GET", "/api/v2/users?q=a%00b", Map.of("Authorization", mgmt), null);

        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            Endpoint e = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", authorization(random, e, mgmt));
            String path = e.path().replace("{id}", pathSegment(random));
            if (e.reads().equals("query") || random.nextInt(8) == 0) {
                path += "?" + form(random);
            }
            byte[] body = null;
            if (e.reads().equals("json") || e.reads().equals("form") || random.nextInt(8) == 0) {
                boolean json = e.reads().equals("json") ? random.nextInt(6) > 0 : random.nextInt(6) == 0;
                body = json ? json(random) : bytes(form(random));
                headers.put("Content-Type", random.nextInt(4) == 0
                        ? pick(random, CONTENT_TYPES)
                        : json ? "application/json" : "application/x-www-form-urlencoded");
            }
            if (random.nextInt(10) == 0) {
                headers.put("Accept", pick(random, List.of(";;;/=", "text/html", "application/xml", "*/*;q=x")));
            }
            check(failures, e.method(), path, headers, body);
        }
        assertTrue(failures.isEmpty(), failures.size() + " malformed requests got a 5xx or leaked Java:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    private void check(List<String> failures, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        String[] r = send(method, path, headers, body);
        int status = Integer.parseInt(r[0]);
        if (status >= 500 || LEAK.matcher(r[1]).find()) {
            String shown = path.length() > 120 ? path.substring(0, 120) + "..." : path;
            failures.add(status + " " + method + " " + shown + " " + headers.getOrDefault("Content-Type", "")
                    + " body " + (body == null ? 0 : body.length) + " bytes -> "
                    + r[1].substring(0, Math.min(300, r[1].length())));
        }
    }

    // ---- generators ----

    private static String authorization(Random random, Endpoint e, String mgmt) {
        return switch (random.nextInt(e.management() ? 4 : 8)) {
            case 0, 1 -> e.management() ? mgmt : "";
            case 2 -> "Bearer " + arrayHeaderToken();
            case 3 -> "Bearer " + pick(random, List.of("a.b.c", "...", "e30.e30.", "%%%", "x".repeat(9_000),
                    "eyJhbGciOiJub25lIn0.e30.", "\u00e9.\u00e9.\u00e9"));
            case 4 -> "Basic " + pick(random, List.of("%%%", "Og==", Base64.getEncoder().encodeToString(
                    (suite.clientId + ":\u0000").getBytes(StandardCharsets.UTF_8))));
            default -> "";
        };
    }

    /** A JOSE header that is a JSON array, then a payload and a signature that are not ours. */
    private static String arrayHeaderToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(bytes("[\"RS256\"]")) + "." + b64.encodeToString(bytes("{\"sub\":\"x\"}"))
                + ".c2ln";
    }

    /**
     * A well-formed client id that names no client. Never the suite's own: with the management token a case may be a
     * DELETE, a PATCH or a secret rotation of the id in its path, and the tests after this one need that client.
     */
    private static final String ABSENT_CLIENT = "fuzz-absent-" + Suite.RUN;

    private static String pathSegment(Random random) {
        return pick(random, List.of("x", "%00", "a%00b", "%zz", "%", "..%2F..%2Fetc", "%C0%AF", "%FF%FE",
                "sms%7C" + "9".repeat(300), "\u00e9", "a%20b", "x".repeat(2_000), ABSENT_CLIENT));
    }

    /** A value as a query or form carries it, already encoded or deliberately not. */
    private static String formValue(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "%00";
            case 1 -> "%zz";
            case 2 -> "%";
            case 3 -> "%E0%A4%A";
            case 4 -> "%FF%FE%FD";
            case 5 -> "x".repeat(random.nextInt(6_000));
            case 6 -> "a%00b";
            case 7 -> suite.clientId;
            case 8 -> "http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fpasswordless%2Fotp";
            case 9 -> "-1";
            case 10 -> "99999999999999999999";
            default -> "";
        };
    }

    private static String form(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : random.nextInt(10) == 0 ? "&&" : "&");
            b.append(random.nextInt(12) == 0 ? formValue(random) : pick(random, FIELDS));
            if (random.nextInt(10) > 0) {
                b.append('=').append(formValue(random));
            }
        }
        return b.toString();
    }

    private static byte[] json(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> {
                int depth = pick(random, List.of(999, 1_001, 5_000, 10_000));
                yield bytes("{\"" + pick(random, FIELDS) + "\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            }
            case 1 -> {
                int depth = pick(random, List.of(1_000, 6_000));
                yield bytes("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            }
            case 2 -> bytes(pick(random, List.of("", "{", "}", "null", "[]", "\"x\"", "1", "{\"a\":1,\"a\":2}",
                    "{\"client_id\":", "\u0000", "{\"a\":\"\\ud800\"}", "{'a':1}", "{\"a\":1}garbage")));
            case 3 -> new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
            default -> {
                StringBuilder b = new StringBuilder("{");
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append('"').append(pick(random, FIELDS)).append("\":")
                            .append(jsonValue(random, 0));
                }
                yield bytes(b.append('}').toString());
            }
        };
    }

    private static String jsonValue(Random random, int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 11)) {
            case 0 -> "\"\\u0000\"";
            case 1 -> "\"a\\u0000b\"";
            case 2 -> "\"" + "x".repeat(random.nextInt(40_000)) + "\"";
            case 3 -> pick(random, List.of("1e309", "-0", "123456789012345678901234567890", "1.5", "-1", "true",
                    "null", "false"));
            case 4 -> "\"\\ud800\"";
            case 5 -> "\"" + ABSENT_CLIENT + "\"";
            case 6 -> "\"%00\"";
            case 7 -> "\"\u00e9\\n\\t<script>\"";
            case 8 -> "\"\"";
            case 9 -> "[" + jsonValue(random, depth + 1) + "," + jsonValue(random, depth + 1) + "]";
            default -> "{\"" + pick(random, FIELDS) + "\":" + jsonValue(random, depth + 1) + "}";
        };
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- a raw HTTP/1.1 exchange ----

    /** Status and body of one request on its own connection; what no HTTP client would send is sent as it is. */
    private static String[] send(String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", suite.originPort)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(bytes(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + suite.originPort
                    + "\r\nConnection: close\r\n"));
            headers.forEach((k, v) -> {
                if (!v.isEmpty() || k.equals("Content-Type")) {
                    head.writeBytes(bytes(k + ": " + v + "\r\n"));
                }
            });
            if (body != null) {
                head.writeBytes(bytes("Content-Length: " + body.length + "\r\n"));
            }
            head.writeBytes(bytes("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static String[] parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.") || end < 0) {
            return new String[]{"599", "no HTTP response: " + all};
        }
        String status = all.substring(9, 12);
        String headers = all.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (headers.contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new String[]{status, new String(body, StandardCharsets.UTF_8)};
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int lineEnd = i;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(n, chunked.length - lineEnd - 2));
            i = lineEnd + 2 + n + 2;
        }
        return out.toByteArray();
    }
}
