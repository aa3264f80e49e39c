package dev.latchkey.delivery.service;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.twilio.security.RequestValidator;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.DeliveryStatus;
import dev.latchkey.delivery.messaging.DeliveryPublisher;
import dev.latchkey.delivery.provider.TwilioSmsSender;
import dev.latchkey.delivery.store.DeliveryLedger;

/**
 * Twilio's status callbacks: a callback is believed only if its X-Twilio-Signature checks out (twilio-java's
 * RequestValidator) with the auth token of the connection that sent the message, and it names the message SID the
 * ledger recorded for the event. The event id comes from the callback URL (see
 * {@link dev.latchkey.delivery.provider.TwilioSmsSender#callbackUrl}); it is covered by the signature. A believed
 * callback updates the delivery record; a final one ({@code delivered}, {@code undelivered}, {@code failed}) is also
 * published as a status event.
 */
@ApplicationScoped
public class TwilioCallbackService {

    private static final Logger LOG = Logger.getLogger(TwilioCallbackService.class);

    public enum Result {
        ACCEPTED, FORBIDDEN
    }

    private final DeliveryLedger ledger;
    private final ConfigView configView;
    private final PlatformCipher cipher;
    private final DeliveryPublisher publisher;
    private final Clock clock;

    public TwilioCallbackService(DeliveryLedger ledger, ConfigView configView, PlatformCipher cipher,
            DeliveryPublisher publisher, Clock clock) {
        this.ledger = ledger;
        this.configView = configView;
        this.cipher = cipher;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @param url the URL Twilio called, as it signed it (query included)
     * @param eventId the {@code event} parameter of that URL
     * @param params the form parameters, one value each
     */
    public Uni<Result> handle(String url, String eventId, Map<String, String> params, String signature) {
        String sid = Optional.ofNullable(params.get("MessageSid")).orElse(params.get("SmsSid"));
        if (signature == null || signature.isBlank() || sid == null || sid.isBlank() || eventId == null
                || eventId.isBlank()) {
            return Uni.createFrom().item(Result.FORBIDDEN);
        }
        return ledger.find(eventId).map(record -> record
                .filter(r -> (sid.equals(r.get("provider_id")) || unsettled(r))
                        && verified(url, params, signature, r)))
                // An unknown event or message: there is no token to check the signature with.
                .chain(record -> record.isEmpty()
                        ? Uni.createFrom().item(Result.FORBIDDEN)
                        : apply(eventId, record.get(), sid, params).replaceWith(Result.ACCEPTED));
    }

    /**
     * A record whose attempt died during the Twilio call: no message id recorded. A callback signed with the
     * connection's token for this event's URL can only come from a message created for this event, so it settles
     * the record (see {@link #apply}).
     */
    private static boolean unsettled(DeliveryLedger.Record r) {
        String providerId = r.get("provider_id");
        return DeliveryLedger.CALLING.equals(r.state()) && (providerId == null || providerId.isEmpty());
    }

    private boolean verified(String url, Map<String, String> params, String signature, DeliveryLedger.Record r) {
        Optional<ConnectionConfig.SmsSettings> sms = configView.connection(r.get("connection"))
                .map(ConnectionConfig::sms);
        if (sms.isEmpty() || sms.get().twilioAuthTokenEnc() == null) {
            return false;
        }
        String account = params.get("AccountSid");
        if (account != null && !account.equals(sms.get().twilioAccountSid())) {
            return false;
        }
        try {
            String token = cipher.decrypt(sms.get().twilioAuthTokenEnc(),
                    DeliveryService.authTokenContext(r.get("connection")));
            return new RequestValidator(token).validate(url, params, signature);
        } catch (PlatformCipher.DecryptionException e) {
            LOG.warnf("Twilio callback for connection %s: its auth token does not open", r.get("connection"));
            return false;
        }
    }

    private Uni<Void> apply(String eventId, DeliveryLedger.Record r, String sid, Map<String, String> params) {
        String status = params.getOrDefault("MessageStatus", params.get("SmsStatus"));
        String error = params.get("ErrorCode");
        Uni<Void> recorded = (unsettled(r) ? settle(eventId, r, sid) : Uni.createFrom().voidItem())
                .chain(() -> ledger.providerStatus(eventId, status, error, clock.instant()));
        String published = switch (status == null ? "" : status) {
            case "delivered" -> "delivered";
            case "undelivered", "failed" -> "failed";
            default -> null;
        };
        if (published == null) {
            return recorded;
        }
        String reason = "failed".equals(published)
                ? "twilio reports " + status + (error == null || error.isBlank() ? "" : " (error " + error + ")")
                : null;
        DeliveryStatus s = new DeliveryStatus(eventId, emptyToNull(r.get("client")), emptyToNull(r.get("connection")),
                ConnectionConfig.SMS, published, TwilioSmsSender.PROVIDER, params.get("MessageSid"), reason, null,
                r.attempt(), clock.instant());
        return recorded.chain(() -> publisher.status(s, Context.current()));
    }

    /**
     * The attempt that created this message died before recording it: record it {@code sent} now and say so on the
     * status topic, so that a redelivery of the event is a duplicate instead of going to the DLQ as unknown.
     */
    private Uni<Void> settle(String eventId, DeliveryLedger.Record r, String sid) {
        return ledger.sentIfCalling(eventId, TwilioSmsSender.PROVIDER, sid, clock.instant()).chain(settled -> {
            if (!settled) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("event %s: Twilio's status callback settled an attempt that stopped during its call", eventId);
            return publisher.status(new DeliveryStatus(eventId, emptyToNull(r.get("client")),
                    emptyToNull(r.get("connection")), ConnectionConfig.SMS, "sent", TwilioSmsSender.PROVIDER, sid,
                    "recorded from Twilio's status callback", null, r.attempt(), clock.instant()), Context.current());
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
