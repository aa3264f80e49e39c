package dev.latchkey.delivery.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.SmsSettings;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.message.TemplateException;
import dev.latchkey.common.message.TemplateVariables;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.OutboxSmsSender;
import dev.latchkey.delivery.provider.SmtpEmailSender;
import dev.latchkey.delivery.provider.TwilioSmsSender;
import dev.latchkey.delivery.service.DeliveryOutcome.Duplicate;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.Retry;
import dev.latchkey.delivery.service.DeliveryOutcome.Sent;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.store.DeliveryLedger.Claim;
import dev.latchkey.delivery.store.DeliveryLedger.RatedClaim;
import dev.latchkey.delivery.store.DeliveryLedger.Record;
import dev.latchkey.delivery.store.DeliveryLedger.Subject;
import dev.latchkey.delivery.store.SenderRateLimiter;

/**
 * One attempt at one delivery event: check expiry, render, respect the sender's rate, claim the event in the ledger,
 * call the provider once, record the result. Every path ends in a {@link DeliveryOutcome}; only a bug ends in a
 * failed Uni. The provider is called only by the attempt that claimed the event, so an event id is sent at most once.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);
    /** A code with less than this left is not worth sending. */
    private static final Duration MIN_REMAINING = Duration.ofSeconds(1);

    private final ConfigView configView;
    private final PlatformCipher cipher;
    private final MessageRenderer renderer;
    private final DeliveryLedger ledger;
    private final SenderRateLimiter rateLimiter;
    private final TwilioSmsSender twilio;
    private final OutboxSmsSender outbox;
    private final SmtpEmailSender smtp;
    private final DeliveryConfig config;
    private final Backoff backoff;
    private final Clock clock;
    private final Tracer tracer;
    /** Redis Cluster: no script may name the ledger key and the sender's rate key together. */
    private final boolean cluster;
    private final Map<String, String> providerSecrets = new ConcurrentHashMap<>();

    public DeliveryService(ConfigView configView, PlatformCipher cipher, MessageRenderer renderer,
            DeliveryLedger ledger, SenderRateLimiter rateLimiter, TwilioSmsSender twilio, OutboxSmsSender outbox,
            SmtpEmailSender smtp, DeliveryConfig config, Clock clock, Tracer tracer,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String redisClientType) {
        this.configView = configView;
        this.cipher = cipher;
        this.renderer = renderer;
        this.ledger = ledger;
        this.rateLimiter = rateLimiter;
        this.twilio = twilio;
        this.outbox = outbox;
        this.smtp = smtp;
        this.config = config;
        this.backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
        this.clock = clock;
        this.tracer = tracer;
        this.cluster = "cluster".equalsIgnoreCase(redisClientType);
    }

    /** The Twilio auth token's encryption context for a connection. */
    public static String authTokenContext(String connection) {
        return "connection:" + connection + ":twilio_auth_token";
    }

    /** The SMTP password's encryption context for a connection's own SMTP server. */
    public static String smtpPasswordContext(String connection) {
        return "connection:" + connection + ":smtp_password";
    }

    /**
     * @param channel the channel of the topic the event came from ({@code sms} or {@code email})
     * @param attempt 1 for the first attempt
     * @param trace the trace this attempt belongs to (the consumed record's); the provider call is a span of it
     */
    public Uni<DeliveryOutcome> deliver(DeliveryEvent event, String channel, int attempt, Context trace) {
        return Uni.createFrom().deferred(() -> attempt(event, channel, attempt, trace))
                // Redis or another dependency failing before the provider call: nothing was sent, try later; an
                // expired code is not worth a retry even if its record could not be written.
                .onFailure().recoverWithItem(e -> event.expiresAt() != null
                        && expiredAt(event, clock.instant().plus(backoff.after(1)))
                                ? new Expired("code expired at " + event.expiresAt() + " (not recorded: "
                                        + describe(e) + ")")
                                : new Retry("delivery-service dependency failed: " + describe(e),
                                        clock.instant().plus(backoff.after(1)), attempt, null));
    }

    private Uni<DeliveryOutcome> attempt(DeliveryEvent event, String channel, int attempt, Context trace) {
        String malformed = malformed(event, channel);
        if (malformed != null) {
            return Uni.createFrom().item(new Failed("malformed event: " + malformed, null, null));
        }
        Subject subject = new Subject(event.eventId(), event.clientId(), event.connection(), channel);
        Instant now = clock.instant();
        if (expiredAt(event, now)) {
            return expire(subject, event, attempt, now);
        }
        Optional<ConnectionConfig> found = configView.connection(event.connection());
        if (found.isEmpty()) {
            if (!configView.caughtUp()) {
                return Uni.createFrom().item(new Retry("configuration not loaded yet", now.plus(backoff.after(1)),
                        attempt, null));
            }
            return fail(subject, event, attempt, "unknown connection " + event.connection(), null, null);
        }
        ConnectionConfig connection = found.get();
        if (!channel.equals(connection.strategy())) {
            return fail(subject, event, attempt, "connection " + connection.name() + " is not an " + channel
                    + " connection", null, null);
        }
        Uni<MessageRenderer.Rendered> rendered;
        try {
            rendered = render(event, channel, connection);
        } catch (PlatformCipher.DecryptionException e) {
            return fail(subject, event, attempt, "the event's code does not open with the platform key", null, null);
        } catch (IllegalArgumentException e) {
            return fail(subject, event, attempt, e.getMessage(), null, null);
        }
        return rendered.onItemOrFailure().transformToUni((message, failure) -> {
            if (failure instanceof TemplateException) {
                return fail(subject, event, attempt, failure.getMessage(), null, null);
            } else if (failure != null) {
                return Uni.createFrom().failure(failure);
            }
            return ConnectionConfig.SMS.equals(channel)
                    ? sms(subject, event, attempt, connection, message, trace)
                    : email(subject, event, attempt, connection, message, trace);
        });
    }

    /** A provider secret, opened once per sealed value: every message of a connection uses the same one. */
    private String openSecret(String sealed, String context) {
        String cacheKey = context + '\n' + sealed;
        String secret = providerSecrets.get(cacheKey);
        if (secret == null) {
            secret = cipher.decrypt(sealed, context);
            if (providerSecrets.size() > 1000) {
                providerSecrets.clear();
            }
            providerSecrets.put(cacheKey, secret);
        }
        return secret;
    }

    /** Opens the event's secrets here, and renders on a worker thread (see {@link MessageRenderer}). */
    private Uni<MessageRenderer.Rendered> render(DeliveryEvent event, String channel, ConnectionConfig connection) {
        String context = DeliveryEvent.cipherContext(event.eventId());
        boolean link = "link".equals(event.send());
        String code = event.codeEnc() == null ? null : cipher.decrypt(event.codeEnc(), context);
        String magicLink = event.linkEnc() == null ? null : cipher.decrypt(event.linkEnc(), context);
        if (link ? magicLink == null : code == null) {
            throw new IllegalArgumentException("malformed event: no " + (link ? "link" : "code"));
        }
        String appName = configView.client(event.clientId()).map(ClientConfig::name).orElse(null);
        String language = event.language() == null || event.language().isBlank()
                ? connection.defaultLanguageOrEn()
                : event.language();
        int ttlMinutes = TemplateVariables.ttlMinutes(connection.codeTtlSeconds());
        return renderer.renderOffTheEventLoop(connection, link, new TemplateVariables(code, magicLink,
                event.recipient(), Channel.of(channel).orElseThrow(), appName, language, ttlMinutes));
    }

    private Uni<DeliveryOutcome> sms(Subject subject, DeliveryEvent event, int attempt, ConnectionConfig connection,
            MessageRenderer.Rendered message, Context trace) {
        int segments = message.segments();
        SmsSettings settings = connection.sms();
        if (!hasTwilioCredentials(settings)) {
            if (outbox.active()) {
                return callOnce(subject, event, attempt, OutboxSmsSender.PROVIDER, segments, trace,
                        () -> outbox.send(event.recipient(), message.text(), event.eventId(), connection.name(),
                                segments));
            }
            return fail(subject, event, attempt, "connection " + connection.name()
                    + " has no Twilio credentials and the outbox is off", TwilioSmsSender.PROVIDER, segments);
        }
        String sender = SmsSettings.SOURCE_FROM.equals(settings.source())
                ? settings.from()
                : settings.messagingServiceSid();
        if (sender == null || sender.isBlank()) {
            return fail(subject, event, attempt, "connection " + connection.name() + " names no "
                    + (SmsSettings.SOURCE_FROM.equals(settings.source()) ? "From number" : "Messaging Service SID"),
                    TwilioSmsSender.PROVIDER, segments);
        }
        String authToken;
        try {
            authToken = openSecret(settings.twilioAuthTokenEnc(), authTokenContext(connection.name()));
        } catch (PlatformCipher.DecryptionException e) {
            return fail(subject, event, attempt, "the Twilio auth token of connection " + connection.name()
                    + " does not open with the platform key", TwilioSmsSender.PROVIDER, segments);
        }
        int perSecond = config.twilio().senderRates().getOrDefault(sender, config.twilio().messagesPerSecond());
        Supplier<Uni<String>> send = () -> twilio.send(settings, authToken, new TwilioSmsSender.Sms(event.recipient(),
                message.text(), validitySeconds(event), event.eventId()));
        if (perSecond <= 0) {
            return callOnce(subject, event, attempt, TwilioSmsSender.PROVIDER, segments, trace, send);
        }
        Instant now = clock.instant();
        if (expiredAt(event, now)) {
            return expire(subject, event, attempt, now);
        }
        SenderRateLimiter.Slot slot = SenderRateLimiter.slot(settings.twilioAccountSid() + ":" + sender, perSecond,
                config.twilio().maxThrottleWait());
        // The sender's slot and the claim in one Redis round trip. On Redis Cluster the two keys live on different
        // slots, which one script may not touch: there the slot is reserved first and the event claimed after it.
        Uni<RatedClaim> slotAndClaim = cluster
                ? rateLimiter.reserve(slot).map(r -> new RatedClaim(Optional.empty(), r))
                : ledger.claimWithinRate(subject, attempt, now, recordTtl(event, now), slot);
        return slotAndClaim.chain(rated -> {
            if (rated.claim().isPresent()) {
                Claim claim = rated.claim().get();
                return claim.won()
                        ? call(subject, event, attempt, TwilioSmsSender.PROVIDER, segments, trace, send)
                        : alreadyHandled(subject, event, attempt, claim.existing().orElseThrow());
            }
            SenderRateLimiter.Reservation reservation = rated.reservation();
            if (!reservation.granted()) {
                // Parked, not failed: the attempt number stays, the code's expiry bounds the wait.
                return Uni.createFrom().item(new Retry("sender " + sender + " is at its limit of " + perSecond
                        + " messages/s", clock.instant().plus(reservation.delay()), attempt,
                        TwilioSmsSender.PROVIDER));
            }
            // A slot later than now: wait for it, then claim (the code may expire meanwhile).
            return delay(reservation.delay()).chain(() -> callOnce(subject, event, attempt,
                    TwilioSmsSender.PROVIDER, segments, trace, send));
        });
    }

    private Uni<DeliveryOutcome> email(Subject subject, DeliveryEvent event, int attempt, ConnectionConfig connection,
            MessageRenderer.Rendered message, Context trace) {
        String from = connection.email() != null && connection.email().from() != null
                && !connection.email().from().isBlank() ? connection.email().from() : config.mail().from();
        SmtpEmailSender.Email email = new SmtpEmailSender.Email(from, event.recipient(), message.subject(),
                message.text(), message.html(), event.eventId(), event.language());
        ConnectionConfig.Smtp own = connection.email() == null ? null : connection.email().smtp();
        if (own == null || own.host() == null || own.host().isBlank()) {
            return callOnce(subject, event, attempt, SmtpEmailSender.PROVIDER, null, trace, () -> smtp.send(email));
        }
        SmtpEmailSender.Server server;
        try {
            String password = own.passwordEnc() == null || own.passwordEnc().isBlank()
                    ? null
                    : openSecret(own.passwordEnc(), smtpPasswordContext(connection.name()));
            boolean tls = Boolean.TRUE.equals(own.tls());
            server = new SmtpEmailSender.Server(own.host(), own.port() != null ? own.port() : tls ? 465 : 25,
                    own.username(), password, tls);
        } catch (PlatformCipher.DecryptionException e) {
            return fail(subject, event, attempt, "the SMTP password of connection " + connection.name()
                    + " does not open with the platform key", SmtpEmailSender.PROVIDER, null);
        }
        return callOnce(subject, event, attempt, SmtpEmailSender.PROVIDER, null, trace, () -> smtp.send(email, server));
    }

    /** Claims the event and, if this attempt owns it, calls the provider exactly once. */
    private Uni<DeliveryOutcome> callOnce(Subject subject, DeliveryEvent event, int attempt, String provider,
            Integer segments, Context trace, Supplier<Uni<String>> send) {
        Instant now = clock.instant();
        if (expiredAt(event, now)) {
            return expire(subject, event, attempt, now);
        }
        return ledger.claim(subject, attempt, DeliveryLedger.CALLING, null, now, recordTtl(event, now))
                .chain(claim -> claim.won()
                        ? call(subject, event, attempt, provider, segments, trace, send)
                        : alreadyHandled(subject, event, attempt, claim.existing().orElseThrow()));
    }

    private Uni<DeliveryOutcome> call(Subject subject, DeliveryEvent event, int attempt, String provider,
            Integer segments, Context trace, Supplier<Uni<String>> send) {
        Span span = tracer.spanBuilder(provider + " send").setParent(trace).setSpanKind(SpanKind.CLIENT)
                .setAttribute("latchkey.provider", provider)
                .setAttribute("latchkey.channel", subject.channel())
                .setAttribute("latchkey.event_id", subject.eventId())
                .setAttribute("latchkey.attempt", attempt)
                .startSpan();
        Uni<String> sending;
        try (Scope ignored = span.makeCurrent()) {
            sending = send.get();
        } catch (RuntimeException e) {
            sending = Uni.createFrom().failure(e);
        }
        return sending.onItemOrFailure().invoke((providerId, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getMessage());
            }
            span.end();
        }).onItemOrFailure().transformToUni((providerId, failure) -> {
            Instant now = clock.instant();
            if (failure == null) {
                Map<String, String> fields = new HashMap<>();
                fields.put("provider", provider);
                fields.put("provider_id", providerId);
                if (segments != null) {
                    fields.put("segments", segments.toString());
                }
                DeliveryOutcome sent = new Sent(provider, providerId, segments);
                return ifStillCalling(subject, ledger.finish(subject.eventId(), DeliveryLedger.SENT, fields, now,
                        recordTtl(event, now)), sent)
                        // It went out: the record stays "calling", which also keeps a redelivery from resending.
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("event %s sent but its record not updated: %s", subject.eventId(), describe(e));
                            return sent;
                        });
            }
            ProviderException pe = failure instanceof ProviderException p
                    ? p
                    : new ProviderException("unexpected failure calling " + provider + ": " + describe(failure),
                            true);
            return afterFailure(subject, event, attempt, provider, segments, pe, now);
        });
    }

    private Uni<DeliveryOutcome> afterFailure(Subject subject, DeliveryEvent event, int attempt, String provider,
            Integer segments, ProviderException failure, Instant now) {
        String reason = failure.getMessage();
        if (!failure.isTransient()) {
            return finishFailed(subject, event, provider, segments, reason, now);
        }
        if (attempt >= config.retry().maxAttempts()) {
            return finishFailed(subject, event, provider, segments,
                    "gave up after " + attempt + " attempts: " + reason, now);
        }
        Instant notBefore = now.plus(backoff.after(attempt));
        if (!notBefore.plus(MIN_REMAINING).isBefore(event.expiresAt())) {
            return finishFailed(subject, event, provider, segments,
                    "the code expires before attempt " + (attempt + 1) + " could run: " + reason, now);
        }
        Map<String, String> fields = Map.of("provider", provider, "reason", reason);
        return ifStillCalling(subject, ledger.finish(subject.eventId(), DeliveryLedger.RETRYING, fields, now,
                recordTtl(event, now)), new Retry(reason, notBefore, attempt + 1, provider));
    }

    private Uni<DeliveryOutcome> finishFailed(Subject subject, DeliveryEvent event, String provider, Integer segments,
            String reason, Instant now) {
        Map<String, String> fields = new HashMap<>();
        fields.put("reason", reason);
        if (provider != null) {
            fields.put("provider", provider);
        }
        return ifStillCalling(subject, ledger.finish(subject.eventId(), DeliveryLedger.FAILED, fields, now,
                recordTtl(event, now)), new Failed(reason, provider, segments));
    }

    /**
     * {@code outcome} when the attempt's end was recorded; a duplicate when Twilio's status callback had recorded the
     * message sent while the attempt was in its call (the callback already published {@code sent}). So a call whose
     * answer was lost after Twilio took the message is not retried into a second message once Twilio has said so.
     */
    private static Uni<DeliveryOutcome> ifStillCalling(Subject subject, Uni<Optional<Record>> finished,
            DeliveryOutcome outcome) {
        return finished.map(settled -> {
            if (settled.isEmpty()) {
                return outcome;
            }
            Record r = settled.get();
            LOG.infof("event %s: recorded %s by Twilio's status callback during this attempt's call; this attempt"
                    + " ends as a duplicate", subject.eventId(), r.state());
            return new Duplicate(r.state(), emptyToNull(r.get("provider")), emptyToNull(r.get("provider_id")));
        });
    }

    private Uni<DeliveryOutcome> alreadyHandled(Subject subject, DeliveryEvent event, int attempt, Record record) {
        Instant now = clock.instant();
        if (DeliveryLedger.CALLING.equals(record.state())) {
            Instant deadline = record.at().plus(config.ledger().callTimeout());
            if (deadline.isBefore(now)) {
                // The attempt that claimed it died while calling the provider, and no Twilio status callback said
                // the message exists: it may or may not have gone. Not sent again; the DLQ says so.
                return finishFailed(subject, event, record.get("provider"), null,
                        "an earlier attempt stopped during the provider call; outcome unknown, not sent again", now);
            }
            // Another attempt is in the provider call (the record was redelivered while it ran, e.g. after a
            // rebalance) or died in it (its process was killed). Look again later, sooner while the claim is young:
            // a live call has ended by then and recorded its outcome; a dead one is settled by Twilio's status
            // callback or, at the deadline, goes to the DLQ above. Acknowledging this copy as a duplicate instead
            // would lose the event without a trace if the other attempt is dead.
            Duration age = Duration.between(record.at(), now);
            Instant recheck = now.plus(age.compareTo(config.retry().initialBackoff()) > 0
                    ? age
                    : config.retry().initialBackoff());
            if (recheck.isAfter(deadline)) {
                recheck = deadline.plusMillis(1);
            }
            return Uni.createFrom().item(new Retry("another attempt is calling the provider (claimed at "
                    + record.at() + "); looking again", recheck, attempt, emptyToNull(record.get("provider"))));
        }
        return Uni.createFrom().item(new Duplicate(record.state(), emptyToNull(record.get("provider")),
                emptyToNull(record.get("provider_id"))));
    }

    private Uni<DeliveryOutcome> expire(Subject subject, DeliveryEvent event, int attempt, Instant now) {
        String reason = "code expired at " + event.expiresAt();
        return ledger.claim(subject, attempt, DeliveryLedger.EXPIRED, reason, now, recordTtl(event, now))
                .chain(claim -> outcomeOfTerminalClaim(claim, new Expired(reason)));
    }

    private Uni<DeliveryOutcome> fail(Subject subject, DeliveryEvent event, int attempt, String reason,
            String provider, Integer segments) {
        Instant now = clock.instant();
        return ledger.claim(subject, attempt, DeliveryLedger.FAILED, reason, now, recordTtl(event, now))
                .chain(claim -> outcomeOfTerminalClaim(claim, new Failed(reason, provider, segments)));
    }

    private static Uni<DeliveryOutcome> outcomeOfTerminalClaim(Claim claim, DeliveryOutcome outcome) {
        if (claim.won()) {
            return Uni.createFrom().item(outcome);
        }
        Record r = claim.existing().orElseThrow();
        return Uni.createFrom().item(new Duplicate(r.state(), emptyToNull(r.get("provider")),
                emptyToNull(r.get("provider_id"))));
    }

    private static String malformed(DeliveryEvent e, String channel) {
        if (e.eventId() == null || e.eventId().isBlank()) {
            return "no event_id";
        }
        if (e.recipient() == null || e.recipient().isBlank()) {
            return "no recipient";
        }
        if (e.connection() == null || e.connection().isBlank()) {
            return "no connection";
        }
        if (e.expiresAt() == null) {
            return "no expires_at";
        }
        if (e.channel() != null && !e.channel().equals(channel)) {
            return "channel " + e.channel() + " on the " + channel + " topic";
        }
        return null;
    }

    private static boolean expiredAt(DeliveryEvent event, Instant now) {
        return !now.plus(MIN_REMAINING).isBefore(event.expiresAt());
    }

    private int validitySeconds(DeliveryEvent event) {
        long seconds = Duration.between(clock.instant(), event.expiresAt()).toSeconds();
        return (int) Math.max(1, Math.min(seconds, Integer.MAX_VALUE));
    }

    private Duration recordTtl(DeliveryEvent event, Instant now) {
        Duration remaining = Duration.between(now, event.expiresAt());
        return (remaining.isNegative() ? Duration.ZERO : remaining).plus(config.ledger().retentionAfterExpiry());
    }

    private static boolean hasTwilioCredentials(SmsSettings s) {
        return s != null && s.twilioAccountSid() != null && !s.twilioAccountSid().isBlank()
                && s.twilioAuthTokenEnc() != null && !s.twilioAuthTokenEnc().isBlank();
    }

    private static Uni<Void> delay(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(d);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "unexpected error" : m;
    }
}
