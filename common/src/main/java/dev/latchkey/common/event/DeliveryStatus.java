package dev.latchkey.common.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An outcome of a delivery, published by delivery-service to {@code otp.delivery.status}, keyed by event id. Carries
 * no code and no message body.
 *
 * @param status {@code sent}, {@code failed}, {@code expired}, {@code retrying}, {@code delivered}, ...; {@code null}
 *        when a newer producer wrote a state this reader does not know
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
        Channel channel,
        DeliveryState status,
        String provider,
        String providerId,
        String reason,
        Integer segments,
        Integer attempt,
        Instant at) {

    public static final String TOPIC = "otp.delivery.status";
}
