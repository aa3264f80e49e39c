package dev.latchkey.delivery.provider;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.event.Channel;

/**
 * An outside system that takes messages: one class per provider (a CDI bean), found by {@link #name()} when a route
 * step names it. The dispatch around it (claim, rate limit, retries, outcome) is the same for all of them.
 */
public interface Provider {

    /** The name route steps, status events and metrics use: {@code twilio}, {@code smtp}, {@code outbox}, ... */
    String name();

    /** Whether this provider sends on {@code channel} ({@code sms} or {@code email}). */
    boolean serves(Channel channel);

    /** Why {@code step} cannot send at all (a missing setting), or {@code null}. Checked before any claim. */
    String problem(Step step);

    /** The step's sender rate limit, shared by all pods; {@code null} for none. */
    default RateLimit rateLimit(Step step) {
        return null;
    }

    /**
     * Hands the message to the provider once.
     *
     * @return the provider's message id
     * @throws ProviderException (as the Uni's failure) saying whether trying again may help
     */
    Uni<String> send(Step step, Outgoing message);

    /**
     * What a new owner does with an event whose previous owner died during this provider's call (its claim outlived
     * the call timeout without an outcome).
     */
    default CrashRecovery crashRecovery() {
        return CrashRecovery.GIVE_UP;
    }

    /**
     * A sender's messages-per-second limit, shared under one Redis key.
     *
     * @param key what names the sender uniquely (account and number)
     * @param sender how a status reason names it (the number or service id alone)
     */
    record RateLimit(String key, String sender, int perSecond) {
    }

    enum CrashRecovery {
        /** The message may or may not have gone and the provider cannot be asked: dead-letter, never send twice. */
        GIVE_UP,
        /**
         * Send again while the code is valid: a second copy of a valid code is better than none (SMTP, where a
         * server that took the message cannot be asked).
         */
        RESEND
    }
}
