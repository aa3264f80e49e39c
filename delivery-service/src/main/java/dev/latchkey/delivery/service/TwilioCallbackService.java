package dev.latchkey.delivery.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryState;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.Step;
import dev.latchkey.delivery.provider.TwilioSmsSender;
import dev.latchkey.delivery.service.DeliveryOutcome.Receipt;
import dev.latchkey.delivery.store.DeliveryLedger;
import dev.latchkey.delivery.store.DeliveryLedger.State;
import dev.latchkey.delivery.store.DeliveryLedger.Subject;

/**
 * Twilio's status callbacks: a callback is believed only if it is signed with the auth token of the route step that
 * sent the message ({@link TwilioSmsSender#signedBy}) and names the message SID the ledger recorded for the event. The
 * event id comes from the callback URL (see {@link TwilioSmsSender#callbackUrl}); it is covered by the signature. A
 * believed callback updates the delivery record; what it settles is returned as {@link Report}s, which the caller
 * publishes like any other outcome.
 */
@ApplicationScoped
public class TwilioCallbackService {

    private static final Logger LOG = Logger.getLogger(TwilioCallbackService.class);

    public enum Result {
        ACCEPTED, FORBIDDEN
    }

    /** The answer to one callback, and the outcomes it settled (none for an intermediate status). */
    public record Callback(Result result, List<Report> reports) {

        static final Callback FORBIDDEN = new Callback(Result.FORBIDDEN, List.of());
    }

    private final DeliveryLedger ledger;
    private final ConfigView configView;
    private final TwilioSmsSender twilio;
    private final DeliveryConfig config;
    private final Clock clock;

    public TwilioCallbackService(DeliveryLedger ledger, ConfigView configView, TwilioSmsSender twilio,
            DeliveryConfig config, Clock clock) {
        this.ledger = ledger;
        this.configView = configView;
        this.twilio = twilio;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param url the URL Twilio called, as it signed it (query included)
     * @param eventId the {@code event} parameter of that URL
     * @param params the form parameters, one value each
     */
    public Uni<Callback> handle(String url, String eventId, Map<String, String> params, String signature) {
        String sid = Optional.ofNullable(params.get("MessageSid")).orElse(params.get("SmsSid"));
        if (signature == null || signature.isBlank() || sid == null || sid.isBlank() || eventId == null
                || eventId.isBlank()) {
            return Uni.createFrom().item(Callback.FORBIDDEN);
        }
        return ledger.find(eventId).map(record -> record
                .filter(r -> (sid.equals(r.get("provider_id")) || unsettled(r))
                        && verified(url, params, signature, r)))
                // An unknown event or message: there is no token to check the signature with.
                .chain(record -> record.isEmpty()
                        ? Uni.createFrom().item(Callback.FORBIDDEN)
                        : apply(eventId, record.get(), sid, params)
                                .map(reports -> new Callback(Result.ACCEPTED, reports)));
    }

    /**
     * A record whose attempt died during the Twilio call: no message id recorded. A callback signed with the
     * connection's token for this event's URL can only come from a message created for this event, so it settles
     * the record (see {@link #apply}).
     */
    private static boolean unsettled(DeliveryLedger.Record r) {
        String providerId = r.get("provider_id");
        return r.state() == State.CALLING && (providerId == null || providerId.isEmpty());
    }

    private boolean verified(String url, Map<String, String> params, String signature, DeliveryLedger.Record r) {
        Optional<ConnectionConfig> connection = configView.connection(r.get("connection"));
        if (connection.isEmpty()) {
            return false;
        }
        List<Step> route = Routes.of(connection.get(), config.mail().from());
        Step step = r.step() < route.size() ? route.get(r.step()) : route.get(0);
        return TwilioSmsSender.PROVIDER.equals(step.provider()) && twilio.signedBy(step, url, params, signature);
    }

    private Uni<List<Report>> apply(String eventId, DeliveryLedger.Record r, String sid, Map<String, String> params) {
        String status = params.getOrDefault("MessageStatus", params.get("SmsStatus"));
        String error = params.get("ErrorCode");
        Subject subject = new Subject(eventId, emptyToNull(r.get("client")), emptyToNull(r.get("connection")),
                Channel.SMS);
        List<Report> reports = new ArrayList<>();
        Uni<Void> settled = unsettled(r)
                ? ledger.sentIfCalling(eventId, TwilioSmsSender.PROVIDER, sid, clock.instant()).invoke(done -> {
                    if (done) {
                        // The attempt that created this message died before recording it: say it went, so that a
                        // redelivery of the event is a duplicate instead of going to the DLQ as unknown.
                        LOG.infof("event %s: Twilio's status callback settled an attempt that stopped during its"
                                + " call", eventId);
                        reports.add(new Report(subject, r.attempt(), null, new Receipt(DeliveryState.SENT,
                                TwilioSmsSender.PROVIDER, sid, "recorded from Twilio's status callback")));
                    }
                }).replaceWithVoid()
                : Uni.createFrom().voidItem();
        DeliveryState state = switch (status == null ? "" : status) {
            case "delivered" -> DeliveryState.DELIVERED;
            case "undelivered", "failed" -> DeliveryState.FAILED;
            default -> null;
        };
        return settled.chain(() -> ledger.providerStatus(eventId, status, error, clock.instant())).map(ignored -> {
            if (state != null) {
                String reason = state == DeliveryState.FAILED
                        ? "twilio reports " + status + (error == null || error.isBlank()
                                ? ""
                                : " (error " + error
                                        + ")")
                        : null;
                reports.add(new Report(subject, r.attempt(), null, new Receipt(state, TwilioSmsSender.PROVIDER,
                        params.get("MessageSid"), reason)));
            }
            return List.copyOf(reports);
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
