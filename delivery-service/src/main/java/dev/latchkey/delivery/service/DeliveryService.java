package dev.latchkey.delivery.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryEvent;
import dev.latchkey.common.message.TemplateException;
import dev.latchkey.common.message.TemplateVariables;
import dev.latchkey.delivery.config.DeliveryConfig;
import dev.latchkey.delivery.provider.Outgoing;
import dev.latchkey.delivery.provider.Provider;
import dev.latchkey.delivery.provider.Providers;
import dev.latchkey.delivery.provider.Step;
import dev.latchkey.delivery.service.DeliveryOutcome.Expired;
import dev.latchkey.delivery.service.DeliveryOutcome.Failed;
import dev.latchkey.delivery.service.DeliveryOutcome.Retry;
import dev.latchkey.delivery.store.IssuedCodes;

/**
 * One attempt at one delivery event: check it, its expiry and that its code is still the recipient's current one
 * ({@link IssuedCodes}), find its connection and route, render the message, and hand it to the {@link Dispatcher} for
 * the route's step. Every path ends in a {@link DeliveryOutcome}; only a bug
 * ends in a failed Uni.
 */
@ApplicationScoped
public class DeliveryService {

    private final ConfigView configView;
    private final PlatformCipher cipher;
    private final MessageRenderer renderer;
    private final Providers providers;
    private final Dispatcher dispatcher;
    private final OutcomeRecorder records;
    private final DeliveryConfig config;
    private final IssuedCodes codes;
    private final Clock clock;

    public DeliveryService(ConfigView configView, PlatformCipher cipher, MessageRenderer renderer,
            Providers providers, Dispatcher dispatcher, OutcomeRecorder records, IssuedCodes codes,
            DeliveryConfig config, Clock clock) {
        this.configView = configView;
        this.cipher = cipher;
        this.renderer = renderer;
        this.providers = providers;
        this.dispatcher = dispatcher;
        this.records = records;
        this.codes = codes;
        this.config = config;
        this.clock = clock;
    }

    public Uni<DeliveryOutcome> deliver(Attempt a) {
        return Uni.createFrom().deferred(() -> attempt(a))
                // Redis or another dependency failing before the provider call: nothing was sent, try later; an
                // expired code is not worth a retry even if its record could not be written.
                .onFailure().recoverWithItem(e -> {
                    Instant next = clock.instant().plus(dispatcher.backoff().after(1));
                    return a.event().expiresAt() != null && OutcomeRecorder.expiredAt(a, next)
                            ? new Expired("code expired at " + a.event().expiresAt() + " (not recorded: "
                                    + OutcomeRecorder.describe(e) + ")")
                            : new Retry("delivery-service dependency failed: " + OutcomeRecorder.describe(e), next,
                                    a.number(), null);
                });
    }

    private Uni<DeliveryOutcome> attempt(Attempt a) {
        String malformed = malformed(a.event(), a.channel());
        if (malformed != null) {
            return Uni.createFrom().item(new Failed("malformed event: " + malformed, null, null));
        }
        if (OutcomeRecorder.expiredAt(a, clock.instant())) {
            return records.expire(a);
        }
        // Before every attempt (a retry too): a code taken back by its start, replaced or used is not sent.
        return codes.check(a.event()).chain(verdict -> switch (verdict) {
            case CURRENT -> current(a);
            case GONE -> records.revoke(a, "the code is no longer held for the recipient (taken back by a refused"
                    + " start, used, or expired)");
            case REPLACED -> records.revoke(a, "a newer code replaced this one");
        });
    }

    private Uni<DeliveryOutcome> current(Attempt a) {
        Optional<ConnectionConfig> found = configView.connection(a.event().connection());
        if (found.isEmpty()) {
            if (!configView.caughtUp()) {
                return Uni.createFrom().item(new Retry("configuration not loaded yet",
                        clock.instant().plus(dispatcher.backoff().after(1)), a.number(), null));
            }
            return records.fail(a, "unknown connection " + a.event().connection(), null, null);
        }
        ConnectionConfig connection = found.get();
        if (!a.channel().equals(connection.strategy())) {
            return records.fail(a, "connection " + connection.name() + " is not an " + a.channel()
                    + " connection", null, null);
        }
        Uni<Outgoing> rendered;
        try {
            rendered = render(a, connection);
        } catch (PlatformCipher.DecryptionException e) {
            return records.fail(a, "the event's code does not open with the platform key", null, null);
        } catch (IllegalArgumentException e) {
            return records.fail(a, e.getMessage(), null, null);
        }
        return rendered.onItemOrFailure().transformToUni((message, failure) -> {
            if (failure instanceof TemplateException) {
                return records.fail(a, failure.getMessage(), null, null);
            } else if (failure != null) {
                return Uni.createFrom().failure(failure);
            }
            return dispatch(a, connection, message);
        });
    }

    /**
     * The route's steps that can send; one that cannot (no such provider, a missing setting) is passed over, and a
     * route of none fails with the first step's reason.
     */
    private Uni<DeliveryOutcome> dispatch(Attempt a, ConnectionConfig connection, Outgoing message) {
        List<Leg> route = new ArrayList<>();
        String problem = null;
        String problemProvider = null;
        for (Step step : Routes.of(connection, config.mail().from())) {
            Optional<Provider> provider = providers.named(step.provider()).filter(p -> p.serves(a.channel()));
            String why = provider.isEmpty()
                    ? "connection " + connection.name() + " names provider " + step.provider()
                            + ", which does not send " + a.channel()
                    : provider.get().problem(step);
            if (why == null) {
                route.add(new Leg(step, provider.get()));
            } else if (problem == null) {
                problem = why;
                problemProvider = step.provider();
            }
        }
        if (route.isEmpty()) {
            return records.fail(a, problem, problemProvider,
                    ConnectionConfig.SMS.equals(a.channel()) ? message.segments() : null);
        }
        return dispatcher.dispatch(a, List.copyOf(route), message);
    }

    /** Opens the event's secrets here, and renders on a worker thread (see {@link MessageRenderer}). */
    private Uni<Outgoing> render(Attempt a, ConnectionConfig connection) {
        DeliveryEvent event = a.event();
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
                event.recipient(), Channel.of(a.channel()).orElseThrow(), appName, language, ttlMinutes))
                .map(r -> new Outgoing(event.eventId(), a.channel(), event.recipient(), r.subject(), r.text(),
                        r.html(), event.language(), event.expiresAt(),
                        ConnectionConfig.SMS.equals(a.channel()) ? r.segments() : 0));
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
}
