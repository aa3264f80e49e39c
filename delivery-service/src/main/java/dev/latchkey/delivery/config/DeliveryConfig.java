package dev.latchkey.delivery.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How delivery-service consumes delivery events, retries them and talks to its providers. */
@ConfigMapping(prefix = "latchkey.delivery")
public interface DeliveryConfig {

    /**
     * Prefix of the Kafka consumer groups: {@code <group>-sms}, {@code <group>-email}, {@code <group>-sms-retry},
     * {@code <group>-email-retry} (application.properties reads this key).
     */
    @WithDefault("delivery-service")
    String group();

    /** Topic names (the incoming channels of application.properties read the same keys). */
    Topics topics();

    /** The SMS channel. */
    Channel sms();

    /** The email channel. */
    Channel email();

    /** Retries of transient provider failures, through the channel's retry topic. */
    Retry retry();

    /** The idempotency record kept in Redis per event id. */
    Ledger ledger();

    /** Twilio, the SMS provider. */
    Twilio twilio();

    /** The local SMS outbox, for machines without Twilio credentials. */
    Outbox outbox();

    /** Email defaults. */
    Email mail();

    interface Topics {

        /** Delivery events for SMS, published by otp-service. */
        @WithDefault("otp.delivery.sms")
        String sms();

        /** Delivery events for email, published by otp-service. */
        @WithDefault("otp.delivery.email")
        String email();

        /** Where SMS events wait for their next attempt. */
        @WithName("sms-retry")
        @WithDefault("otp.delivery.sms.retry")
        String smsRetry();

        /** Where email events wait for their next attempt. */
        @WithName("email-retry")
        @WithDefault("otp.delivery.email.retry")
        String emailRetry();

        /** Events that failed for good (permanent provider error, exhausted retries, broken template). */
        @WithDefault("otp.delivery.dlq")
        String dlq();

        /** Every outcome, keyed by event id. */
        @WithDefault("otp.delivery.status")
        String status();
    }

    interface Channel {

        /**
         * Events of this channel being worked on at once by one instance (admitted from Kafka and not yet
         * acknowledged, including those waiting for their retry time or a sender's rate limit).
         */
        @WithName("max-in-flight")
        @WithDefault("256")
        int maxInFlight();
    }

    interface Retry {

        /**
         * Transient failures are retried, with backoff, until this long before the code expires; a failure after
         * that ends the event as {@code expired} (nothing more is sent). A message that arrives with less of the
         * code's life left than this is of little use to the person.
         */
        @WithName("stop-before-expiry")
        @WithDefault("10s")
        Duration stopBeforeExpiry();

        /** Delay before the second attempt; each later one doubles it. */
        @WithName("initial-backoff")
        @WithDefault("1s")
        Duration initialBackoff();

        /** Upper bound of one delay. */
        @WithName("max-backoff")
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * Retry records of one channel held at once while they wait for their time (on a timer, no thread each);
         * separate from the channel's own bound so waiting retries never hold up fresh events.
         */
        @WithName("max-in-flight")
        @WithDefault("1024")
        int maxInFlight();
    }

    interface Ledger {

        /** How long the record of an event is kept after the code's expiry (redeliveries past that are expired). */
        @WithName("retention-after-expiry")
        @WithDefault("1h")
        Duration retentionAfterExpiry();

        /**
         * The lease of a claim: a record left in the "calling" state for longer than this belongs to an attempt that
         * died during the provider call. What follows depends on the provider: SMTP, which cannot be asked whether
         * it took the message, sends again while the code is valid; the others, whose outcome is then unknown, go
         * to the DLQ instead of risking a second message (unless a receipt settled the record meanwhile).
         */
        @WithName("call-timeout")
        @WithDefault("2m")
        Duration callTimeout();
    }

    interface Twilio {

        /**
         * Send Twilio API calls to this base address instead of https://api.twilio.com (an egress gateway, or a local
         * fake in tests). The request still names api.twilio.com in its Host header.
         */
        @WithName("api-endpoint")
        Optional<URI> apiEndpoint();

        /**
         * The public URL of POST /twilio/status: given to Twilio as StatusCallback on every message, and the URL
         * callback signatures are checked against. Without it no callback is requested and the signature is checked
         * against the URL the request arrived at.
         */
        @WithName("status-callback-url")
        Optional<String> statusCallbackUrl();

        /**
         * Twilio calls one instance keeps open at once, each on a virtual thread; also the HTTP connection pool size.
         * At 100-300 ms a call, N open calls allow about 5N-10N messages/s. Keep instances times this within the
         * account's concurrency at Twilio (beyond it Twilio answers 429 / 20429, which is retried).
         */
        @WithName("max-concurrent-calls")
        @WithDefault("512")
        int maxConcurrentCalls();

        /** Connect and read timeout of one Twilio call. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Messages per second per sender (Messaging Service SID or From number), shared by all instances through
         * Redis. Twilio queues what a sender cannot send at once, so this keeps codes from ageing in its queue.
         */
        @WithName("messages-per-second")
        @WithDefault("100")
        int messagesPerSecond();

        /** Per-sender overrides of messages-per-second, keyed by Messaging Service SID or From number. */
        @WithName("sender-rates")
        Map<String, Integer> senderRates();

        /**
         * Longest wait for a sender's rate limit inside one attempt; beyond it the event is parked on the retry topic
         * until its turn.
         */
        @WithName("max-throttle-wait")
        @WithDefault("5s")
        Duration maxThrottleWait();
    }

    interface Outbox {

        /**
         * Whether SMS of connections without Twilio credentials go to a Redis outbox readable at GET
         * /outbox/messages?to=... (local runs). Off, such events fail to the DLQ and the endpoint answers 404.
         */
        @WithDefault("false")
        boolean enabled();

        /** Messages kept per recipient. */
        @WithName("max-per-recipient")
        @WithDefault("50")
        int maxPerRecipient();

        /** How long an outbox keeps its messages. */
        @WithDefault("24h")
        Duration retention();
    }

    interface Email {

        /** From address of connections that name none. */
        @WithDefault("Latchkey <no-reply@latchkey.local>")
        String from();
    }
}
