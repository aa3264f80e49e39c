package dev.latchkey.common.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What otp-service publishes to {@code otp.delivery.sms} / {@code otp.delivery.email}, keyed by recipient, and
 * delivery-service consumes. JSON, snake_case. The code (and the magic link, which carries it) travel only encrypted
 * with {@link dev.latchkey.common.crypto.PlatformCipher} under the context {@link #cipherContext(String)}. W3C trace
 * context travels in the record headers ({@code traceparent}, {@code tracestate}), and so does the request id of the
 * start ({@link #REQUEST_ID_HEADER}).
 *
 * @param eventId the {@code _id} returned by /passwordless/start; delivery-service sends at most once per id
 * @param channel {@code sms} or {@code email}; a record of another word is unreadable
 * @param send {@code code} or {@code link}
 * @param codeEnc the code, encrypted
 * @param linkEnc the magic link, encrypted; present when {@code send} is {@code link}
 * @param language the BCP 47 tag chosen at start (x-request-language, accept-language, else the connection default)
 * @param expiresAt when the code expires; an event past it is never sent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryEvent(
        String eventId,
        String clientId,
        String connection,
        Channel channel,
        String recipient,
        Send send,
        String codeEnc,
        String linkEnc,
        String language,
        Instant issuedAt,
        Instant expiresAt) {

    public static final String TOPIC_SMS = "otp.delivery.sms";
    /** Record header with the HTTP request id of the start that issued the code. */
    public static final String REQUEST_ID_HEADER = "latchkey-request-id";
    public static final String TOPIC_EMAIL = "otp.delivery.email";

    /** The AES-GCM associated data for this event's secrets: they open only as part of this event. */
    public static String cipherContext(String eventId) {
        return "delivery:" + eventId;
    }
}
