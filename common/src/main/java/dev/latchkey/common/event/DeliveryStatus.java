package dev.latchkey.common.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An outcome of a delivery, published by delivery-service to {@code otp.delivery.status}, keyed by event id. Carries
 * no code and no message body.
 *
 * @param status a {@link DeliveryState}'s wire value ({@code sent}, {@code failed}, {@code expired}, {@code retrying},
 *        {@code delivered}, ...); read it with {@link #state()}
 * @param provider {@code twilio}, {@code smtp} or {@code outbox}
 * @param providerId the provider's message id (Twilio SID, SMTP Message-ID) when sent
 * @param reason why it failed or is retried (provider error code and message); never a secret
 * @param segments SMS segments the body needs (1 fits one GSM-7 segment)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryStatus(
        String eventId,
        String clientId,
        String connection,
        String channel,
        String status,
        String provider,
        String providerId,
        String reason,
        Integer segments,
        Integer attempt,
        Instant at) {

    public static final String TOPIC = "otp.delivery.status";

    /** A status of a known state. */
    public static DeliveryStatus of(String eventId, String clientId, String connection, String channel,
            DeliveryState state, String provider, String providerId, String reason, Integer segments,
            Integer attempt, Instant at) {
        return new DeliveryStatus(eventId, clientId, connection, channel, state.wire(), provider, providerId, reason,
                segments, attempt, at);
    }

    /** The status as a state; {@code null} when a newer producer wrote one this reader does not know. */
    @JsonIgnore
    public DeliveryState state() {
        return DeliveryState.of(status);
    }
}
