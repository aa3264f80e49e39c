package dev.latchkey.token.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformKeys;
import dev.latchkey.common.otp.OtpHmac;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.testing.ConfigTopicPublisher;
import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.token.service.Grants;

/**
 * Prepares a benchmark run of token-service (see {@code token-service/bench/run.sh}): publishes a client and an email
 * connection on the config topic as admin-service would, and writes {@code count} codes to Redis exactly as
 * otp-service does (common's OtpState layout, OtpHmac under the platform key from {@code LATCHKEY_SECRET_KEY}), one
 * per fresh recipient. Writes {@code <dir>/codes.txt} ("email code" lines) and {@code <dir>/bench.env}.
 *
 * <pre>
 * java -cp ... dev.latchkey.token.bench.BenchSeed &lt;dir&gt; &lt;count&gt; &lt;api-rs256&gt; &lt;api-es256&gt;
 * </pre>
 */
public final class BenchSeed {

    private BenchSeed() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        String apiRs = args[2];
        String apiEs = args[3];
        String key = System.getenv("LATCHKEY_SECRET_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("LATCHKEY_SECRET_KEY must be the service's platform key");
        }
        OtpHmac hmac = new OtpHmac(new PlatformKeys(Base64.getDecoder().decode(key.strip())));
        String run = UUID.randomUUID().toString().substring(0, 8);
        SecureRandom random = new SecureRandom();
        byte[] s = new byte[32];
        random.nextBytes(s);
        String secret = HexFormat.of().formatHex(s);

        ConnectionConfig connection = new ConnectionConfig("bench-email-" + run, "email", 6, 3600, 3,
                false, true, "en", Map.of(), null, null);
        ClientConfig client = new ClientConfig("bench-" + run, "Benchmark", "regular_web",
                ClientSecrets.sha256(secret), List.of("http://127.0.0.1/callback"), List.of(),
                List.of(connection.name()), List.of(Grants.PASSWORDLESS_OTP, Grants.CLIENT_CREDENTIALS), null, null,
                null, Map.of(apiRs, List.of("read:bench"), apiEs, List.of("read:bench")));
        try (ConfigTopicPublisher publisher = new ConfigTopicPublisher()) {
            publisher.connection(connection);
            publisher.client(client);
        }

        String redis = LocalServers.redisUrl();
        long now = System.currentTimeMillis();
        long ttl = 3_600_000;
        Files.createDirectories(dir);
        try (Socket socket = new Socket(LocalServers.host(redis), LocalServers.port(redis));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                PrintWriter codes = new PrintWriter(Files.newBufferedWriter(dir.resolve("codes.txt")))) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            Thread reader = Thread.ofPlatform().start(() -> drain(in, count * 2));
            for (int i = 0; i < count; i++) {
                String email = "bench-" + run + "-" + i + "@example.com";
                String code = String.format("%06d", random.nextInt(1_000_000));
                String k = OtpState.codeKey(connection.name(), email);
                command(out, "HSET", k, OtpState.FIELD_HMAC, hmac.of(code, client.clientId(), connection.name(), email),
                        OtpState.FIELD_CLIENT, client.clientId(), OtpState.FIELD_ATTEMPTS, "3",
                        OtpState.FIELD_EXPIRES, Long.toString(now + ttl), OtpState.FIELD_ID, "bench-" + i,
                        OtpState.FIELD_PARAMS, "{}");
                command(out, "PEXPIRE", k, Long.toString(ttl));
                codes.println(email + " " + code);
            }
            out.flush();
            reader.join();
        }
        Files.writeString(dir.resolve("bench.env"), "CLIENT_ID=" + client.clientId() + "\nCLIENT_SECRET=" + secret
                + "\nREALM=" + connection.name() + "\n");
        System.out.println("seeded " + count + " codes for client " + client.clientId() + " on " + connection.name());
    }

    private static void command(OutputStream out, String... parts) throws IOException {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads (and checks) one reply line per command: HSET and PEXPIRE answer integers. */
    private static void drain(InputStream in, int replies) {
        try {
            for (int i = 0; i < replies; i++) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        throw new IOException("Redis closed the connection");
                    }
                    line.append((char) c);
                }
                if (line.charAt(0) == '-') {
                    throw new IOException("Redis: " + line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
