package dev.latchkey.delivery.provider;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.crypto.PlatformKeys;
import dev.latchkey.common.event.Channel;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.testing.TwilioFake;

/**
 * How many Twilio calls the sender keeps open at once, with the real twilio-java client against the local fake
 * answering late, as the real API does. The rest of the sender (fields, errors) is covered end to end by
 * SmsDeliveryTest.
 */
class TwilioSmsSenderTest {

    private final PlatformCipher cipher = new PlatformCipher(new PlatformKeys(new byte[32]));
    private final Step step = new Step("c", 0, TwilioSmsSender.PROVIDER, Map.of(TwilioSmsSender.ACCOUNT_SID,
            "AC" + "0".repeat(32), TwilioSmsSender.FROM, "+14155550100"),
            Map.of(TwilioSmsSender.AUTH_TOKEN,
                    new Step.Sealed(cipher.encrypt("token", "ctx"), "ctx")),
            null, null);
    private TwilioFake twilio;
    private SimpleMeterRegistry metrics;
    private TwilioSmsSender sender;

    @BeforeEach
    void start() throws Exception {
        twilio = new TwilioFake();
        metrics = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        twilio.close();
    }

    private TwilioSmsSender sender(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("latchkey.delivery.twilio.api-endpoint", twilio.endpoint());
        // Quarkus' own duration syntax ("2m") as in the service.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DeliveryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test")).build();
        sender = new TwilioSmsSender(config.getConfigMapping(DeliveryConfig.class),
                new ProviderSecrets(cipher, java.time.Clock.systemUTC()),
                Clock.systemUTC(), metrics);
        return sender;
    }

    private List<CompletableFuture<String>> sendMany(TwilioSmsSender s, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> s.send(step, new Outgoing("e" + i, Channel.SMS, "+1415555" + String.format("%04d", i),
                        null, "Your verification code is: 123456", null, "en", Instant.now().plusSeconds(300), 1))
                        .subscribeAsCompletionStage())
                .toList();
    }

    private double openCallsGauge() {
        return metrics.get("latchkey.delivery.twilio.open_calls").gauge().value();
    }

    @Test
    void byDefaultHundredsOfSlowCallsAreOpenAtOnce() throws Exception {
        // 32 platform threads used to cap this at 32 calls, i.e. ~200 SMS/s against a 150 ms Twilio.
        twilio.latency(Duration.ofSeconds(1));
        TwilioSmsSender s = sender(Map.of());
        List<CompletableFuture<String>> sends = sendMany(s, 300);

        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Set<String> sids = sends.stream().map(CompletableFuture::join).collect(Collectors.toSet());
        assertThat(sids, hasSize(300));
        assertThat(twilio.createdCount(), equalTo(300L));
        assertThat("calls open at once at the fake", twilio.maxOpen(), greaterThan(200L));
        assertThat(openCallsGauge(), equalTo(0.0));
    }

    @Test
    void noMoreCallsOpenThanConfigured() throws Exception {
        twilio.latency(Duration.ofMillis(300));
        TwilioSmsSender s = sender(Map.of("latchkey.delivery.twilio.max-concurrent-calls", "8"));
        List<CompletableFuture<String>> sends = sendMany(s, 40);

        await().atMost(Duration.ofSeconds(30)).until(() -> twilio.maxOpen() == 8);
        assertThat(openCallsGauge(), greaterThan(0.0));
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(twilio.createdCount(), equalTo(40L));
        assertThat("calls open at once at the fake", twilio.maxOpen(), equalTo(8L));
        assertThat(openCallsGauge(), equalTo(0.0));
    }
}
