package dev.latchkey.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.common.testing.TcpProxy;

/**
 * The four packaged services (the quarkus-app of each sibling module) and nginx on one origin, started once per test
 * JVM and stopped at its end. Everything that others on the same servers could see is unique to this run: Kafka
 * delivery topics and consumer groups, the management client, connection and client names, recipients.
 */
public final class Suite {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PHONE_START = RANDOM.nextInt(10_000);
    private static final AtomicInteger PHONES = new AtomicInteger();
    private static Suite instance;

    public final Path root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
    public final Path work = Path.of("target", "suite").toAbsolutePath();
    public final Map<String, Integer> ports = new LinkedHashMap<>();
    public final int originPort;
    public final String origin;
    /**
     * An app's own origin, another site than {@link #origin} ({@code localhost} against {@code 127.0.0.1}): the
     * browser tests serve their app pages there. The suite's client allows it and its {@code /callback.html}.
     */
    public final String appOrigin;
    public final String managementId = "suite-mgmt-" + RUN;
    /** Receives the services' traces (OTLP/HTTP), as a collector in a cluster would. */
    final TraceCollector traces;
    private final String managementSecret = random(32);
    private final String platformKey = Base64.getEncoder().encodeToString(bytes(32));
    private final Map<String, Process> processes = new HashMap<>();
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    public String smsConnection;
    public String emailConnection;
    /** delivery-service's SMTP server is the sink behind this proxy, which a test can make hang mid-call. */
    public final TcpProxy smtpGate;
    public String clientId;
    private String managementToken;

    private Suite() throws Exception {
        traces = new TraceCollector();
        smtpGate = new TcpProxy("127.0.0.1", LocalServers.smtpPort());
        smtpGate.open();
        for (String s : List.of("otp", "token", "delivery", "admin")) {
            ports.put(s, freePort());
        }
        // A port of its own, never 8080: another checkout's suite or run.sh may take 8080 between a check and
        // nginx's bind, and this suite would then talk to that one's services.
        originPort = freePort();
        origin = "http://127.0.0.1:" + originPort;
        appOrigin = "http://localhost:" + freePort();
    }

    /** The running suite; the first call starts it (about 20-40 s on two cores). */
    public static synchronized Suite get() throws Exception {
        if (instance == null) {
            Suite s = new Suite();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopAll));
            s.startAll();
            instance = s;
        }
        return instance;
    }

    private void startAll() throws Exception {
        if (Files.isDirectory(work.resolve("logs"))) {
            try (var old = Files.list(work.resolve("logs"))) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(work.resolve("logs"));
        for (String s : List.of("token", "admin", "otp", "delivery")) {
            start(s);
        }
        for (String s : List.of("token", "admin", "otp", "delivery")) {
            awaitReady(s);
        }
        startNginx();
        managementToken = managementToken();
        smsConnection = "suite-sms-" + RUN;
        emailConnection = "suite-email-" + RUN;
        admin("POST", "/api/v2/connections", Map.of("name", smsConnection, "strategy", "sms", "templates",
                Map.of("default", Map.of("body", "Your code is {{ code }}"))), 201);
        admin("POST", "/api/v2/connections", Map.of("name", emailConnection, "strategy", "email", "email",
                Map.of("from", "Latchkey suite <suite@latchkey.local>")), 201);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("name", "Suite app " + RUN);
        client.put("app_type", "spa");
        client.put("token_endpoint_auth_method", "none");
        client.put("callbacks", List.of(origin + "/demo/callback", origin + "/suite/callback.html",
                appOrigin + "/callback.html"));
        client.put("allowed_origins", List.of(origin, appOrigin));
        client.put("connections", List.of(smsConnection, emailConnection));
        client.put("grant_types", List.of("authorization_code", "implicit",
                "http://auth0.com/oauth/grant-type/passwordless/otp"));
        clientId = admin("POST", "/api/v2/clients", client, 201).path("client_id").asText();
        // Config propagation: otp-service knows the client once a start is no longer refused as bad.client_id.
        long until = System.currentTimeMillis() + 30_000;
        while (true) {
            HttpResponse<String> r = post("/passwordless/start", Map.of("client_id", clientId, "connection",
                    emailConnection, "email", "not an address"));
            if (r.body().contains("bad.email") || System.currentTimeMillis() > until) {
                break;
            }
            Thread.sleep(300);
        }
    }

    private Map<String, String> env(String service) {
        Map<String, String> e = new HashMap<>();
        e.put("LATCHKEY_SECRET_KEY", platformKey);
        e.put("LATCHKEY_AUTH_ISSUER", origin + "/");
        e.put("LATCHKEY_PUBLIC_URL", origin);
        e.put("LATCHKEY_OTP_PORT", ports.get("otp").toString());
        e.put("LATCHKEY_TOKEN_PORT", ports.get("token").toString());
        e.put("LATCHKEY_DELIVERY_PORT", ports.get("delivery").toString());
        e.put("LATCHKEY_ADMIN_PORT", ports.get("admin").toString());
        e.put("LATCHKEY_OTP_SMS_TOPIC", "suite." + RUN + ".sms");
        e.put("LATCHKEY_OTP_EMAIL_TOPIC", "suite." + RUN + ".email");
        e.put("LATCHKEY_OTP_IP_LIMIT", "100000");
        // KafkaOutageIT starts 20 codes a second for about half a minute, over the default 1000 a minute.
        e.put("LATCHKEY_OTP_CLIENT_LIMIT", "100000");
        e.put("LATCHKEY_DELIVERY_GROUP", "suite-" + RUN);
        // Static membership of delivery's consumers, as the Kubernetes manifests set it (the pod's name).
        e.put("LATCHKEY_INSTANCE_ID", "suite-" + RUN + "-delivery");
        e.put("LATCHKEY_DELIVERY_OUTBOX", "true");
        e.put("LATCHKEY_SMTP_PORT", Integer.toString(smtpGate.port()));
        e.put("LATCHKEY_MANAGEMENT_CLIENT_ID", managementId);
        e.put("LATCHKEY_MANAGEMENT_CLIENT_SECRET", managementSecret);
        e.put("LATCHKEY_TOKEN_SERVICE_URL", "http://127.0.0.1:" + ports.get("token"));
        e.put("LATCHKEY_JWKS_URL", "http://127.0.0.1:" + ports.get("token") + "/.well-known/jwks.json");
        e.put("LATCHKEY_TWILIO_STATUS_CALLBACK_URL", origin + "/twilio/status");
        e.put("LATCHKEY_OTEL_ENDPOINT", traces.endpoint());
        e.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        e.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "500ms");
        return e;
    }

    public void start(String service) throws IOException {
        Path jar = root.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build the services first (./mvnw package)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms32m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
        if (service.equals("delivery")) {
            String t = "suite." + RUN;
            cmd.addAll(List.of("-Dlatchkey.delivery.topics.sms=" + t + ".sms",
                    "-Dlatchkey.delivery.topics.email=" + t + ".email",
                    "-Dlatchkey.delivery.topics.sms-retry=" + t + ".sms.retry",
                    "-Dlatchkey.delivery.topics.email-retry=" + t + ".email.retry",
                    // A killed consumer holds its partitions until its session times out (45 s by default): the
                    // crash test waits for that, so the suite's consumers time out sooner.
                    "-Dkafka.session.timeout.ms=10000",
                    // The lease of a claim, after which an email whose sender died mid-call is sent again (2 min
                    // in service).
                    "-Dlatchkey.delivery.ledger.call-timeout=10s"));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(service).toFile()));
        pb.environment().putAll(env(service));
        processes.put(service, pb.start());
    }

    public Path log(String service) {
        return work.resolve("logs").resolve(service + ".log");
    }

    /** SIGKILL, as a crash would. */
    public void kill(String service) throws InterruptedException {
        Process p = processes.remove(service);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    public long rssKb(String service) throws IOException {
        Process p = processes.get(service);
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    public void awaitReady(String service) throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        String url = "http://127.0.0.1:" + ports.get(service) + "/q/health/ready";
        while (System.currentTimeMillis() < until) {
            Process p = processes.get(service);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(service + "-service exited: " + tail(service));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(service + "-service not ready after 120 s: " + tail(service));
    }

    private String tail(String service) throws IOException {
        return tail(service, 15);
    }

    /** The last {@code n} lines of a service's log (empty when it has none yet). */
    public String tail(String service, int n) throws IOException {
        if (!Files.isRegularFile(log(service))) {
            return "";
        }
        List<String> lines = Files.readAllLines(log(service));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** The suite if it was started in this JVM, without starting it. */
    static synchronized Suite ifStarted() {
        return instance;
    }

    private void startNginx() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")),
                "nginx is missing: apt-get install nginx-light (the one origin of the suite tests)");
        Path dir = work.resolve("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        String conf = Files.readString(root.resolve("deploy/local/nginx/nginx.conf"))
                .replace("@STATE@", dir.toString()).replace("@PORT@", Integer.toString(originPort))
                .replace("daemon on;", "daemon off;")
                .replace("127.0.0.1:8101", "127.0.0.1:" + ports.get("otp"))
                .replace("127.0.0.1:8102", "127.0.0.1:" + ports.get("token"))
                .replace("127.0.0.1:8103", "127.0.0.1:" + ports.get("delivery"))
                .replace("127.0.0.1:8104", "127.0.0.1:" + ports.get("admin"))
                // Test pages (auth0-js from npm) on the same origin, for the browser tests only.
                .replace("location = / {", "location /suite/ { alias " + work.resolve("www") + "/; }\n"
                        + "        location = / {");
        Files.createDirectories(work.resolve("www"));
        Files.writeString(dir.resolve("nginx.conf"), conf);
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("start.log").toFile());
        processes.put("nginx", pb.start());
        long until = System.currentTimeMillis() + 10_000;
        while (!reachable(originPort)) {
            if (System.currentTimeMillis() > until || !processes.get("nginx").isAlive()) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("start.log")));
            }
            Thread.sleep(100);
        }
    }

    private void stopAll() {
        processes.values().forEach(Process::destroy);
        processes.values().forEach(p -> {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }

    // ---- HTTP on the one origin ----

    public HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form)
            throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return http.send(HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String urlOrPath) throws IOException, InterruptedException {
        String url = urlOrPath.startsWith("http") ? urlOrPath : origin + urlOrPath;
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode admin(String method, String path, Object body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + managementToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** A management token of the suite's bootstrap client (every scope). */
    public String managementBearer() {
        return managementToken;
    }

    private String managementToken() throws Exception {
        long until = System.currentTimeMillis() + 30_000;
        HttpResponse<String> r;
        do {
            r = postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", managementId,
                    "client_secret", managementSecret, "audience", origin + "/api/v2/"));
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body()).path("access_token").asText();
            }
            Thread.sleep(300); // the bootstrap client reaches token-service through the config topic
        } while (System.currentTimeMillis() < until);
        throw new IllegalStateException("no management token: " + r.statusCode() + " " + r.body());
    }

    // ---- where codes land ----

    /** The newest SMS in the outbox for {@code phone} whose body matches, waiting up to 20 s. */
    public List<JsonNode> outbox(String phone) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/dev/outbox/messages?to=" + enc(phone));
        List<JsonNode> out = new ArrayList<>();
        if (r.statusCode() == 200) {
            JSON.readTree(r.body()).forEach(out::add);
        }
        return out;
    }

    public List<JsonNode> mails(String address) throws IOException, InterruptedException {
        HttpResponse<String> r = get(LocalServers.smtpApi() + "/api/user/" + enc(address) + "/messages/");
        List<JsonNode> out = new ArrayList<>();
        if (r.statusCode() == 200) {
            JSON.readTree(r.body()).forEach(out::add);
        }
        return out;
    }

    // ---- small things ----

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * A phone number no other test of this run has used: the per-recipient limits (one code per 30 s, five per 10 min)
     * would refuse a second start to the same number, so numbers are drawn in sequence from a random place rather than
     * at random (20 draws out of 10,000 at random meet each other in about 2 % of runs).
     */
    public static String phone() {
        return "+1415555" + String.format("%04d", (PHONE_START + PHONES.getAndIncrement()) % 10_000);
    }

    public static String email() {
        return "suite-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    public static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean reachable(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
