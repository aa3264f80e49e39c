package dev.latchkey.delivery.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.crypto.PlatformKeys;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.testing.ConfigTopicPublisher;
import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.delivery.service.Routes;
import dev.latchkey.delivery.testing.TwilioFake;

/**
 * The delivery benchmark (run by delivery-service/bench/run.sh, never by the test suite). Against the local Kafka,
 * Redis and SMTP sink, with the Twilio fake in this process and the packaged service in a child process:
 *
 * <ol>
 * <li>pre-loads N SMS and M email events on topics of the run's own, then starts the service and measures how fast it
 * drains them: messages/s at the Twilio fake and at the SMTP sink (sent statuses), and the time from each event's
 * issued_at to its provider call (which here is mostly time spent queued behind the backlog);</li>
 * <li>with the backlog gone, publishes SMS events at a steady rate and measures issued_at → Twilio call latency
 * (p50/p99/max), the figure that matters for a user waiting for a code.</li>
 * </ol>
 */
public final class DeliveryBench {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int smsCount = Integer.parseInt(opt.getOrDefault("sms", "20000"));
        int emailCount = Integer.parseInt(opt.getOrDefault("email", "2000"));
        System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        int steadyRate = Integer.parseInt(opt.getOrDefault("rate", "500"));
        int steadySeconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        String jar = opt.getOrDefault("jar", "delivery-service/target/quarkus-app/quarkus-run.jar");
        String bootstrap = LocalServers.kafkaBootstrap();
        String run = UUID.randomUUID().toString().substring(0, 8);

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        PlatformCipher cipher = new PlatformCipher(new PlatformKeys(key));

        String smsTopic = "bench.otp.delivery.sms." + run;
        String emailTopic = "bench.otp.delivery.email." + run;
        String statusTopic = "bench.otp.delivery.status." + run;
        List<String> topics = List.of(smsTopic, emailTopic, "bench.otp.delivery.sms.retry." + run,
                "bench.otp.delivery.email.retry." + run, "bench.otp.delivery.dlq." + run, statusTopic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 6, (short) 1)).toList()).all()
                    .get(60, TimeUnit.SECONDS);
        }

        String smsConnection = "bench-sms-" + run;
        String emailConnection = "bench-email-" + run;
        String clientId = "bench-client-" + run;
        try (ConfigTopicPublisher config = new ConfigTopicPublisher(bootstrap, "latchkey.config")) {
            config.client(new ClientConfig(clientId, "Bench", "spa", null, List.of(), List.of(),
                    List.of(smsConnection, emailConnection), List.of(), null, null, null));
            config.connection(new ConnectionConfig(smsConnection, "sms", 6, 300, 3, false, true, "en", Map.of(),
                    new ConnectionConfig.SmsSettings("AC" + hex(16), cipher.encrypt(hex(16),
                            Routes.authTokenContext(smsConnection)), "messaging_service",
                            "MG" + hex(16), null),
                    null));
            config.connection(new ConnectionConfig(emailConnection, "email", 6, 300, 3, false, true, "en", Map.of(),
                    null, new ConnectionConfig.EmailSettings("bench@latchkey.local", null)));
        }

        Map<String, Long> issuedAt = new ConcurrentHashMap<>();
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (TwilioFake twilio = new TwilioFake();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
            Duration twilioLatency = Duration.ofMillis(Long.parseLong(opt.getOrDefault("twilio-latency", "0")));
            twilio.latency(twilioLatency);
            if (!twilioLatency.isZero()) {
                System.out.printf("the Twilio fake answers each call after %d ms%n", twilioLatency.toMillis());
            }
            System.out.printf("run %s: pre-loading %d SMS and %d email events ...%n", run, smsCount, emailCount);
            for (int i = 0; i < smsCount; i++) {
                String to = phone(i);
                DeliveryEvent e = event(cipher, clientId, smsConnection, "sms", to, Duration.ofMinutes(30));
                issuedAt.put(to, e.issuedAt().toEpochMilli());
                producer.send(new ProducerRecord<>(smsTopic, to, JSON.writeValueAsBytes(e)));
            }
            for (int i = 0; i < emailCount; i++) {
                // One address per event: only a recipient's latest code is sent.
                String to = "bench-" + run + "-" + i + "@bench.test";
                DeliveryEvent e = event(cipher, clientId, emailConnection, "email", to, Duration.ofMinutes(30));
                producer.send(new ProducerRecord<>(emailTopic, to, JSON.writeValueAsBytes(e)));
            }
            producer.flush();

            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("delivery-bench-", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Dquarkus.http.port=" + port,
                    "-Dlatchkey.delivery.topics.sms=" + smsTopic,
                    "-Dlatchkey.delivery.topics.email=" + emailTopic,
                    "-Dlatchkey.delivery.topics.sms-retry=" + topics.get(2),
                    "-Dlatchkey.delivery.topics.email-retry=" + topics.get(3),
                    "-Dlatchkey.delivery.topics.dlq=" + topics.get(4),
                    "-Dlatchkey.delivery.topics.status=" + statusTopic,
                    "-Dlatchkey.delivery.group=bench-" + run,
                    "-Dlatchkey.delivery.twilio.api-endpoint=" + twilio.endpoint(),
                    "-Dlatchkey.delivery.twilio.messages-per-second=1000000",
                    "-jar", jar));
            String serviceOpts = System.getenv("BENCH_SERVICE_JAVA_OPTS");
            if (serviceOpts != null && !serviceOpts.isBlank()) {
                // E.g. a profiler agent for the service.
                cmd.addAll(1, List.of(serviceOpts.strip().split("\\s+")));
            }
            if (opt.containsKey("jfr")) {
                // A flight recording of the service, for finding where its CPU goes.
                cmd.add(1, "-XX:StartFlightRecording=filename=" + opt.get("jfr") + ",settings=profile");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("LATCHKEY_SECRET_KEY", Base64.getEncoder().encodeToString(key));
            long started = System.currentTimeMillis();
            Process service = pb.start();
            System.out.printf("service started (pid %d, port %d, log %s)%n", service.pid(), port, log);
            try (StatusReader status = new StatusReader(bootstrap, statusTopic)) {
                long deadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
                while ((twilio.createdCount() < smsCount || status.sentEmail.get() < emailCount)
                        && System.currentTimeMillis() < deadline && service.isAlive()) {
                    status.poll();
                }
                if (!service.isAlive()) {
                    throw new IllegalStateException("the service exited; see " + log);
                }
                List<TwilioFake.Request> calls = twilio.requests();
                long first = calls.stream().mapToLong(TwilioFake.Request::arrivedMillis).min().orElse(0);
                long last = calls.stream().mapToLong(TwilioFake.Request::arrivedMillis).max().orElse(0);
                List<Long> backlogLatency = calls.stream().map(r -> r.arrivedMillis() - issuedAt.get(r.field("To")))
                        .sorted().toList();
                System.out.println();
                System.out.println("== phase 1: drain a pre-loaded backlog ==");
                System.out.printf("service start to first Twilio call: %d ms (calls from epoch ms %d to %d)%n",
                        first - started, first, last);
                System.out.printf("SMS:   %d messages at the Twilio fake in %.2f s = %.0f messages/s%n", calls.size(),
                        (last - first) / 1000.0, calls.size() * 1000.0 / Math.max(1, last - first));
                System.out.printf("       per 5 s from the first call (the service warms up as it goes): %s%n",
                        slices(calls, first, 5000));
                System.out.printf("       issued_at -> Twilio call (includes waiting in the backlog): p50 %d ms, "
                        + "p99 %d ms%n", pct(backlogLatency, 50), pct(backlogLatency, 99));
                System.out.printf("email: %d sent (SMTP sink) in %.2f s = %.0f messages/s%n", status.sentEmail.get(),
                        (status.lastEmail - status.firstEmail) / 1000.0,
                        status.sentEmail.get() * 1000.0 / Math.max(1, status.lastEmail - status.firstEmail));
                System.out.printf("other outcomes: %s%n", status.others);
                Duration cpu1 = service.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
                System.out.printf("service CPU so far (start-up included): %.1f s = %.2f ms per message%n",
                        cpu1.toMillis() / 1000.0, cpu1.toMillis() / (double) Math.max(1, calls.size()
                                + status.sentEmail.get()));

                // Phase 2: steady load below capacity, latency as a user sees it.
                int steadyCount = steadyRate * steadySeconds;
                Map<String, Long> steadyIssued = new HashMap<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < steadyCount; i++) {
                    long due = t0 + (long) (i * 1e9 / steadyRate);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    String to = phone(smsCount + i);
                    DeliveryEvent e = event(cipher, clientId, smsConnection, "sms", to, Duration.ofMinutes(5));
                    steadyIssued.put(to, e.issuedAt().toEpochMilli());
                    producer.send(new ProducerRecord<>(smsTopic, to, JSON.writeValueAsBytes(e)));
                }
                producer.flush();
                long until = System.currentTimeMillis() + 60_000;
                while (twilio.createdCount() < smsCount + steadyCount && System.currentTimeMillis() < until) {
                    Thread.sleep(100);
                }
                List<Long> steady = twilio.requests().stream().filter(r -> steadyIssued.containsKey(r.field("To")))
                        .map(r -> r.arrivedMillis() - steadyIssued.get(r.field("To"))).sorted().toList();
                Duration cpu2 = service.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).minus(cpu1);
                System.out.println();
                System.out.printf("== phase 2: steady %d SMS/s for %d s ==%n", steadyRate, steadySeconds);
                System.out.printf("service CPU in phase 2: %.1f s = %.2f ms per message%n", cpu2.toMillis() / 1000.0,
                        cpu2.toMillis() / (double) Math.max(1, steadyCount));
                System.out.printf("SMS:   %d of %d at the Twilio fake; issued_at -> Twilio call: p50 %d ms, p99 %d ms,"
                        + " max %d ms%n", steady.size(), steadyCount, pct(steady, 50), pct(steady, 99),
                        steady.isEmpty() ? 0 : steady.get(steady.size() - 1));

                // Phase 3 (--warm=N): a second backlog for the now warm service, i.e. without most of the JIT
                // compilation and class loading that phase 1 pays for. Events are built first, then sent at once.
                int warmCount = Integer.parseInt(opt.getOrDefault("warm", "0"));
                if (warmCount > 0) {
                    List<ProducerRecord<String, byte[]>> backlog = new ArrayList<>(warmCount);
                    Map<String, Long> warmIssued = new HashMap<>();
                    for (int i = 0; i < warmCount; i++) {
                        String to = phone(smsCount + steadyCount + i);
                        DeliveryEvent e = event(cipher, clientId, smsConnection, "sms", to, Duration.ofMinutes(30));
                        warmIssued.put(to, e.issuedAt().toEpochMilli());
                        backlog.add(new ProducerRecord<>(smsTopic, to, JSON.writeValueAsBytes(e)));
                    }
                    Duration cpu3Start = service.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
                    backlog.forEach(producer::send);
                    producer.flush();
                    long total = (long) smsCount + steadyCount + warmCount;
                    long warmUntil = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
                    while (twilio.createdCount() < total && System.currentTimeMillis() < warmUntil
                            && service.isAlive()) {
                        Thread.sleep(50);
                    }
                    Duration cpu3 = service.toHandle().info().totalCpuDuration().orElse(Duration.ZERO)
                            .minus(cpu3Start);
                    List<TwilioFake.Request> warm = twilio.requests().stream()
                            .filter(r -> warmIssued.containsKey(r.field("To"))).toList();
                    long wFirst = warm.stream().mapToLong(TwilioFake.Request::arrivedMillis).min().orElse(0);
                    long wLast = warm.stream().mapToLong(TwilioFake.Request::arrivedMillis).max().orElse(0);
                    System.out.println();
                    System.out.printf("== phase 3: drain a second backlog of %d SMS (warm service) ==%n", warmCount);
                    System.out.printf("SMS:   %d messages at the Twilio fake in %.2f s = %.0f messages/s (calls from "
                            + "epoch ms %d to %d)%n", warm.size(), (wLast - wFirst) / 1000.0,
                            warm.size() * 1000.0 / Math.max(1, wLast - wFirst), wFirst, wLast);
                    System.out.printf("service CPU in phase 3: %.1f s = %.2f ms per message%n",
                            cpu3.toMillis() / 1000.0, cpu3.toMillis() / (double) Math.max(1, warm.size()));
                }
            } finally {
                service.destroy();
                service.waitFor(20, TimeUnit.SECONDS);
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Counts the status events of the run. */
    private static final class StatusReader implements AutoCloseable {

        final KafkaConsumer<String, String> consumer;
        final AtomicLong sentEmail = new AtomicLong();
        final Map<String, Long> others = new ConcurrentHashMap<>();
        long firstEmail = Long.MAX_VALUE;
        long lastEmail;

        StatusReader(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        void poll() throws Exception {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                // Sent SMS are counted at the fake: skip parsing theirs (this driver shares the service's CPU).
                if (r.value().contains("\"status\":\"sent\"") && r.value().contains("\"channel\":\"sms\"")) {
                    continue;
                }
                JsonNode s = JSON.readTree(r.value());
                String status = s.path("status").asText();
                if ("sent".equals(status) && "email".equals(s.path("channel").asText())) {
                    long at = Instant.parse(s.path("at").asText()).toEpochMilli();
                    sentEmail.incrementAndGet();
                    firstEmail = Math.min(firstEmail, at);
                    lastEmail = Math.max(lastEmail, at);
                } else if (!"sent".equals(status)) {
                    others.merge(status + " " + s.path("reason").asText(""), 1L, Long::sum);
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static final CodeRecords CODES = new CodeRecords();

    /** An event, its code written to Redis first as a start does (delivery-service sends only current codes). */
    private static DeliveryEvent event(PlatformCipher cipher, String clientId, String connection, String channel,
            String to, Duration ttl) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        DeliveryEvent e = new DeliveryEvent(id, clientId, connection, channel, to, "code",
                cipher.encrypt(String.format("%06d", Math.floorMod(id.hashCode(), 1_000_000)),
                        DeliveryEvent.cipherContext(id)),
                null, "en", now, now.plus(ttl));
        CODES.issue(e);
        return e;
    }

    /** Messages/s in consecutive slices of {@code sliceMillis} from {@code first}. */
    private static String slices(List<TwilioFake.Request> calls, long first, long sliceMillis) {
        Map<Long, Long> counts = new java.util.TreeMap<>();
        for (TwilioFake.Request r : calls) {
            counts.merge((r.arrivedMillis() - first) / sliceMillis, 1L, Long::sum);
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((slice, n) -> out.append(out.isEmpty() ? "" : " ").append(n * 1000 / sliceMillis));
        return out.toString();
    }

    private static String phone(int i) {
        return "+1415" + (2 + (i / 1_000_000) % 8) + String.format("%06d", i % 1_000_000);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        return m;
    }

    private DeliveryBench() {
    }
}
