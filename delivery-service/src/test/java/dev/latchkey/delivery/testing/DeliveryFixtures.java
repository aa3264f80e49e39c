package dev.latchkey.delivery.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.otp.OtpState;
import dev.latchkey.common.testing.ConfigTopicPublisher;
import dev.latchkey.common.testing.LocalServers;
import dev.latchkey.delivery.service.Routes;
import dev.latchkey.delivery.testing.TopicCollector.Received;

/**
 * Test data as the other services would make it: clients and connections on the config topic (with a Twilio auth
 * token sealed by the platform key), delivery events with the code sealed to the event id, and readers of the status
 * and dead-letter topics.
 */
@ApplicationScoped
public class DeliveryFixtures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PlatformCipher cipher;
    private final ObjectMapper mapper;
    private final ConfigView view;
    private final ConfigTopicPublisher config = new ConfigTopicPublisher();
    private final KafkaProducer<String, byte[]> producer;
    private final RedisDataSource redis;

    public DeliveryFixtures(PlatformCipher cipher, ObjectMapper mapper, ConfigView view, RedisDataSource redis) {
        this.cipher = cipher;
        this.redis = redis;
        this.mapper = mapper;
        this.view = view;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
    }

    @PreDestroy
    void close() {
        producer.close();
        config.close();
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A phone number libphonenumber accepts, different every call. */
    public static String phone() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "+1415" + (2 + r.nextInt(8)) + String.format("%06d", r.nextInt(1_000_000));
    }

    public static String email() {
        return unique("user").toLowerCase() + "@example.test";
    }

    public static String accountSid() {
        return "AC" + hex(16);
    }

    public static String secret() {
        return hex(16);
    }

    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public ClientConfig client(String name) {
        ClientConfig c = new ClientConfig(unique("client"), name, "spa", null, List.of(), List.of(), List.of(),
                List.of(), null, null, null);
        config.client(c);
        await().atMost(Duration.ofSeconds(20)).until(() -> view.client(c.clientId()).isPresent());
        return c;
    }

    /** Publishes the connection and waits until this service's view has it. */
    public ConnectionConfig publish(ConnectionConfig c) {
        config.connection(c);
        await().atMost(Duration.ofSeconds(20)).until(() -> view.connection(c.name()).map(c::equals).orElse(false));
        return c;
    }

    public ConnectionConfig.SmsSettings twilioFrom(String connection, String accountSid, String authToken,
            String from) {
        return new ConnectionConfig.SmsSettings(accountSid, sealToken(connection, authToken),
                ConnectionConfig.SmsSettings.SOURCE_FROM, null, from);
    }

    public ConnectionConfig.SmsSettings twilioMessagingService(String connection, String accountSid,
            String authToken, String messagingServiceSid) {
        return new ConnectionConfig.SmsSettings(accountSid, sealToken(connection, authToken),
                ConnectionConfig.SmsSettings.SOURCE_MESSAGING_SERVICE, messagingServiceSid, null);
    }

    public String sealToken(String connection, String token) {
        return cipher.encrypt(token, Routes.authTokenContext(connection));
    }

    public static ConnectionConfig sms(String name, Map<String, ConnectionConfig.Template> templates,
            ConnectionConfig.SmsSettings settings) {
        return new ConnectionConfig(name, ConnectionConfig.SMS, 6, 300, 3, false, true, "en", templates, settings,
                null);
    }

    public static ConnectionConfig email(String name, Map<String, ConnectionConfig.Template> templates,
            String from) {
        return new ConnectionConfig(name, ConnectionConfig.EMAIL, 6, 300, 3, false, true, "en", templates, null,
                new ConnectionConfig.EmailSettings(from, null));
    }

    /** A code event that expires {@code ttl} from now. */
    public DeliveryEvent codeEvent(String clientId, ConnectionConfig connection, String recipient, String code,
            String language, Duration ttl) {
        String id = unique("evt");
        Instant now = Instant.now();
        return new DeliveryEvent(id, clientId, connection.name(), connection.strategy(), recipient, "code",
                cipher.encrypt(code, DeliveryEvent.cipherContext(id)), null, language, now, now.plus(ttl));
    }

    public DeliveryEvent linkEvent(String clientId, ConnectionConfig connection, String recipient, String code,
            String link, String language, Duration ttl) {
        String id = unique("evt");
        Instant now = Instant.now();
        return new DeliveryEvent(id, clientId, connection.name(), connection.strategy(), recipient, "link",
                cipher.encrypt(code, DeliveryEvent.cipherContext(id)),
                cipher.encrypt(link, DeliveryEvent.cipherContext(id)), language, now, now.plus(ttl));
    }

    /** The code an event carries, opened. */
    public String open(DeliveryEvent e) {
        return cipher.decrypt(e.codeEnc(), DeliveryEvent.cipherContext(e.eventId()));
    }

    /**
     * Publishes the event the way otp-service does: its code written to Redis first (the recipient's code hash, whose
     * {@code id} is the event id: delivery-service sends only the current code), then the event keyed by recipient,
     * JSON.
     */
    public void send(String topic, DeliveryEvent event) {
        issue(event);
        try {
            sendRaw(topic, event.recipient(), mapper.writeValueAsBytes(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #send(String, DeliveryEvent)}, with record headers (trace context, request id). */
    public void send(String topic, DeliveryEvent event, Map<String, String> headers) {
        issue(event);
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.recipient(),
                    mapper.writeValueAsBytes(event));
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.US_ASCII)));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Publishes the event without writing its code: as if its start had taken the code back before it came. */
    public void sendWithoutCode(String topic, DeliveryEvent event) {
        try {
            sendRaw(topic, event.recipient(), mapper.writeValueAsBytes(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the event's code as otp-service's start does (only the fields delivery-service reads). */
    public void issue(DeliveryEvent event) {
        String key = OtpState.codeKey(event.connection(), event.recipient());
        redis.hash(String.class).hset(key, Map.of(OtpState.FIELD_ID, event.eventId(), OtpState.FIELD_EXPIRES,
                Long.toString(event.expiresAt().toEpochMilli())));
        redis.key().pexpireat(key, event.expiresAt().toEpochMilli());
    }

    /** Takes the event's code back, as a start that answered 503 does (no earlier code to put back). */
    public void takeBack(DeliveryEvent event) {
        redis.key().del(OtpState.codeKey(event.connection(), event.recipient()));
    }

    public void sendRaw(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Status events of one event id, in the order published. */
    public List<JsonNode> statuses(TestServers servers, String eventId) {
        return servers.status().matching(r -> eventId.equals(r.key())).stream().map(this::json).toList();
    }

    public List<String> statusNames(TestServers servers, String eventId) {
        return statuses(servers, eventId).stream().map(s -> s.path("status").asText()).toList();
    }

    public JsonNode awaitStatus(TestServers servers, String eventId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> statusNames(servers, eventId).contains(status));
        return statuses(servers, eventId).stream().filter(s -> status.equals(s.path("status").asText()))
                .findFirst().orElseThrow();
    }

    public List<Received> deadLetters(TestServers servers, String eventId) {
        return servers.deadLetters().matching(r -> r.value() != null && r.value().contains("\"" + eventId + "\""));
    }

    public Received awaitDeadLetter(TestServers servers, String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(servers, eventId).isEmpty());
        return deadLetters(servers, eventId).get(0);
    }

    private JsonNode json(Received r) {
        try {
            return mapper.readTree(r.value().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
