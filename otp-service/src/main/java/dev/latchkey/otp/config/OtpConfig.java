package dev.latchkey.otp.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.latchkey.common.event.DeliveryEvent;

/** How otp-service issues codes: rate limits, magic links and the Kafka hand-off. */
@ConfigMapping(prefix = "latchkey.otp")
public interface OtpConfig {

    /** Rate limits of {@code POST /passwordless/start}; a request over any of them gets 429 and sends nothing. */
    RateLimits rateLimit();

    /** Magic links ({@code send=link}). */
    Link link();

    /** The hand-off of delivery events to Kafka. */
    Delivery delivery();

    interface RateLimits {

        /** Per client IP address (Auth0: 50 per hour). */
        IpLimit ip();

        /** Per recipient (phone number or email) on one connection. */
        RecipientLimit recipient();

        /** Per client_id, over all its recipients; caps what one application can make the platform send. */
        ClientLimit client();
    }

    interface IpLimit {

        /** Starts allowed per {@code period} from one IP address; 0 turns the limit off. */
        @WithDefault("50")
        int limit();

        /** The period the IP limit counts over (a smooth budget: {@code limit} at once, then one per period/limit). */
        @WithDefault("1h")
        Duration period();
    }

    interface RecipientLimit {

        /** Codes sent to one recipient per {@code window}. */
        @WithDefault("5")
        int limit();

        /** The sliding window the recipient limit counts over. */
        @WithDefault("10m")
        Duration window();

        /** Least time between two codes to one recipient. */
        @WithDefault("30s")
        Duration minInterval();
    }

    interface ClientLimit {

        /** Starts allowed per {@code period} for one client_id; 0 turns the limit off. */
        @WithDefault("1000")
        int limit();

        /** The period the client limit counts over. */
        @WithDefault("1m")
        Duration period();
    }

    interface Link {

        /**
         * Public base URL of token-service as users reach it ({@code LATCHKEY_PUBLIC_URL}); magic links point at
         * {@code <base-url>/passwordless/verify_redirect}.
         */
        @WithDefault("http://127.0.0.1:8080")
        String baseUrl();
    }

    interface Delivery {

        /**
         * Topic of SMS delivery events (delivery-service reads it). Only a benchmark or a shared cluster needs another
         * name.
         */
        @WithDefault(DeliveryEvent.TOPIC_SMS)
        String smsTopic();

        /** Topic of email delivery events (delivery-service reads it). */
        @WithDefault(DeliveryEvent.TOPIC_EMAIL)
        String emailTopic();

        /**
         * Longest wait for Kafka's acknowledgement before answering 503. Keep it above the producer's
         * {@code delivery.timeout.ms} + {@code max.block.ms}, so that a 503 normally means Kafka reported the event as
         * not written; the producer lets a record in only while its verdict is sure to come within this time
         * ({@link dev.latchkey.otp.messaging.DeadlineSerializer}), so nothing is written after the start gave up.
         */
        @WithDefault("6s")
        Duration ackTimeout();
    }
}
