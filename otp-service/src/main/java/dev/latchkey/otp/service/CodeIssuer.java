package dev.latchkey.otp.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.event.Send;
import dev.latchkey.common.otp.OtpHmac;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.otp.config.OtpConfig;
import dev.latchkey.otp.messaging.DeliveryEventPublisher;
import dev.latchkey.otp.service.StartFailure.Reason;
import dev.latchkey.otp.store.CodeRecord;
import dev.latchkey.otp.store.IssueOutcome;
import dev.latchkey.otp.store.OtpStore;

/**
 * The start of a passwordless login: checks the client, the connection and the recipient, then — in one Redis round
 * trip — the rate limits and the write of the code's HMAC, then hands the encrypted code to Kafka. The 200 is given
 * only after Kafka acknowledged the event; when Kafka does not take it, the Redis side is taken back and the caller
 * gets 503. The plaintext code exists only in this method and, encrypted, in the event.
 */
@ApplicationScoped
public class CodeIssuer {

    private static final Logger LOG = Logger.getLogger(CodeIssuer.class);

    private final ConfigView config;
    private final OtpStore store;
    private final DeliveryEventPublisher publisher;
    private final OtpHmac hmac;
    private final PlatformCipher cipher;
    private final CodeGenerator codes;
    private final MagicLinks links;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final OtpConfig otpConfig;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CodeIssuer(ConfigView config, OtpStore store, DeliveryEventPublisher publisher, OtpHmac hmac,
            PlatformCipher cipher, CodeGenerator codes, MagicLinks links, Clock clock, ObjectMapper mapper,
            OtpConfig otpConfig, MeterRegistry meters) {
        this.config = config;
        this.store = store;
        this.publisher = publisher;
        this.hmac = hmac;
        this.cipher = cipher;
        this.codes = codes;
        this.links = links;
        this.clock = clock;
        this.mapper = mapper;
        this.otpConfig = otpConfig;
        this.meters = meters;
        // Every outcome is reported from the start, at 0, so that rates and alerts see a series before its first event.
        for (String outcome : List.of("sent", "blocked", "unavailable")) {
            counter(outcome);
        }
        for (IssueOutcome.Limit limit : IssueOutcome.Limit.values()) {
            counter(limited(limit));
        }
    }

    public Uni<Started> start(StartCommand command) {
        Issue issue;
        try {
            issue = prepare(command);
        } catch (StartFailure e) {
            count(e.reason().name().toLowerCase(Locale.ROOT));
            return Uni.createFrom().failure(e);
        }
        Uni<Started> start = store.issue(issue.record)
                .onFailure().transform(e -> unavailable("Redis", e))
                .onItem().transformToUni(outcome -> switch (outcome.status()) {
                    case ISSUED -> deliver(issue);
                    case BLOCKED -> {
                        // Same answer as for anyone else; nothing was written and nothing is sent.
                        count("blocked");
                        yield Uni.createFrom().item(issue.started);
                    }
                    case LIMITED -> {
                        count(limited(outcome.limit()));
                        yield Uni.createFrom().failure(limited(outcome));
                    }
                });
        // Once begun, a start runs to its end (sent, or taken back) even if the caller goes away: cancelling it
        // half-way could leave a code written, never sent, in place of the one the user already has.
        return Uni.createFrom().emitter(emitter -> start.subscribe().with(emitter::complete, emitter::fail));
    }

    private Uni<Started> deliver(Issue issue) {
        return publisher.publish(issue.event)
                .ifNoItem().after(otpConfig.delivery().ackTimeout()).fail()
                .onItem().transform(ignored -> {
                    count("sent");
                    return issue.started;
                })
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf("delivery event %s not taken by Kafka (%s); taking the code back", issue.event.eventId(),
                            describe(e));
                    count("unavailable");
                    return store.release(issue.record)
                            .onFailure().invoke(r -> LOG.errorf("could not take back the code of event %s: %s",
                                    issue.event.eventId(), describe(r)))
                            .onItemOrFailure().transformToUni((ok, r) -> Uni.createFrom()
                                    .failure(new StartFailure(Reason.UNAVAILABLE,
                                            "The code could not be sent. Try again later.", null, e)));
                });
    }

    /** Everything that needs no server: the checks, the code, its HMAC, the encrypted event. */
    private Issue prepare(StartCommand c) {
        if (!config.caughtUp()) {
            throw new StartFailure(Reason.UNAVAILABLE, "The service is starting. Try again later.");
        }
        ClientConfig client = config.client(c.clientId())
                .orElseThrow(() -> new StartFailure(Reason.BAD_CLIENT_ID, "Unknown client: " + c.clientId()));
        if (client.confidential()) {
            if (c.clientSecret() == null || c.clientSecret().isEmpty()) {
                throw new StartFailure(Reason.CLIENT_AUTHENTICATION_REQUIRED, "Client authentication is required");
            }
            if (!ClientSecrets.matches(c.clientSecret(), client.clientSecretSha256())) {
                throw new StartFailure(Reason.WRONG_CLIENT_SECRET, "Unauthorized");
            }
        }
        ConnectionConfig connection = config.connection(c.connection())
                .orElseThrow(() -> new StartFailure(Reason.BAD_CONNECTION, "Connection does not exist"));
        Channel channel = connection.channel();
        if (channel == null) {
            throw new StartFailure(Reason.BAD_CONNECTION,
                    "Invalid connection strategy. It must either be a passwordless connection");
        }
        if (!connection.isEnabled() || !client.connectionEnabled(connection.name())) {
            throw new StartFailure(Reason.BAD_CONNECTION, "Connection is disabled");
        }
        String recipient = recipient(channel, c);
        Send send = send(channel, c.send());
        if (send == Send.LINK) {
            String redirect = c.authParams().get("redirect_uri");
            if (redirect != null && !client.callbacks().contains(redirect)) {
                throw new StartFailure(Reason.BAD_AUTH_PARAMS,
                        "error in authParams - redirect_uri is not an allowed callback URL of this client");
            }
        }
        String ip = c.clientIp();
        if (c.forwardedFor() != null && client.confidential()) {
            // Auth0's auth0-forwarded-for: a trusted back end (it proved its secret) names the end user's address.
            ip = c.forwardedFor();
        }

        long now = clock.millis();
        long ttlMs = connection.codeTtlSeconds() * 1000L;
        String eventId = UUID.randomUUID().toString();
        String code = codes.digits(connection.codeLengthOrDefault());
        String context = DeliveryEvent.cipherContext(eventId);
        String linkEnc = send == Send.LINK
                ? cipher.encrypt(links.link(client.clientId(), connection.name(), recipient, code, c.authParams()),
                        context)
                : null;
        var record = new CodeRecord(eventId, client.clientId(), connection.name(), recipient,
                hmac.of(code, client.clientId(), connection.name(), recipient), connection.maxAttemptsOrDefault(), now,
                ttlMs, json(c.authParams()), ip);
        var event = new DeliveryEvent(eventId, client.clientId(), connection.name(), channel, recipient, send,
                cipher.encrypt(code, context), linkEnc, LanguagePicker.pick(c.language(), connection),
                Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + ttlMs));
        return new Issue(record, event, new Started(eventId, channel, recipient));
    }

    private static String recipient(Channel channel, StartCommand c) {
        if (channel == Channel.SMS) {
            if (c.phoneNumber() == null) {
                throw new StartFailure(Reason.BAD_PHONE_NUMBER, "Missing required property: phone_number");
            }
            return Recipients.phone(c.phoneNumber()).orElseThrow(() -> new StartFailure(Reason.BAD_PHONE_NUMBER,
                    "The phone number is not a valid number in E.164 format (+ and country code)"));
        }
        if (c.email() == null) {
            throw new StartFailure(Reason.BAD_EMAIL, "Missing required property: email");
        }
        return Recipients.email(c.email())
                .orElseThrow(() -> new StartFailure(Reason.BAD_EMAIL, "The email address is not valid"));
    }

    /** Auth0's defaults: SMS sends a code; email sends a link unless asked for a code. */
    private static Send send(Channel channel, String asked) {
        if (asked == null) {
            return channel == Channel.SMS ? Send.CODE : Send.LINK;
        }
        Send send = Send.of(asked)
                .orElseThrow(() -> new StartFailure(Reason.BAD_SEND, "send must be code or link"));
        if (send == Send.LINK && channel == Channel.SMS) {
            throw new StartFailure(Reason.BAD_SEND, "Only a code can be sent by SMS (send=code)");
        }
        return send;
    }

    private String json(Map<String, String> authParams) {
        try {
            return mapper.writeValueAsString(new TreeMap<>(authParams));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StartFailure limited(IssueOutcome outcome) {
        if (outcome.limit() == IssueOutcome.Limit.LOCKED) {
            return new StartFailure(Reason.TOO_MANY_ATTEMPTS,
                    "Too many failed verification attempts for this recipient. Try again later.",
                    outcome.retryAfter(), null);
        }
        String which = switch (outcome.limit()) {
            case IP -> "from this IP address";
            case CLIENT -> "for this application";
            default -> "to this recipient";
        };
        return new StartFailure(Reason.TOO_MANY_REQUESTS, "Too many codes requested " + which + ". Try again later.",
                outcome.retryAfter(), null);
    }

    private StartFailure unavailable(String what, Throwable e) {
        LOG.errorf("%s failed during a start: %s", what, describe(e));
        count("unavailable");
        return new StartFailure(Reason.UNAVAILABLE, "The code could not be sent. Try again later.", null, e);
    }

    private void count(String outcome) {
        counter(outcome).increment();
    }

    private Counter counter(String outcome) {
        return counters.computeIfAbsent(outcome, o -> Counter.builder("latchkey.otp.starts")
                .description("Starts by outcome: sent (a code issued and handed to Kafka), blocked, limited_*, "
                        + "unavailable")
                .tag("outcome", o).register(meters));
    }

    private static String limited(IssueOutcome.Limit limit) {
        return "limited_" + limit.name().toLowerCase(Locale.ROOT);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private record Issue(CodeRecord record, DeliveryEvent event, Started started) {
    }
}
