package dev.latchkey.admin.service;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The writable fields of a connection (create body; a PATCH is merged into the current ones). Secrets
 * ({@code sms.twilio_auth_token}, {@code email.smtp.password}) are write-only: absent in a PATCH means "keep".
 *
 * @param strategy {@code sms} or {@code email}; cannot change
 * @param templates language tag (or {@code default}) → Liquid template; a {@code default} entry is required
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionCommand(
        String name,
        String strategy,
        Boolean enabled,
        Integer codeLength,
        Integer codeTtlS,
        Integer maxAttempts,
        Boolean disableSignup,
        String defaultLanguage,
        Map<String, Template> templates,
        Sms sms,
        Email email) {

    /** {@code body} is Liquid; {@code subject} and {@code html} are for email. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String subject, String body, String html) {
    }

    /**
     * Twilio. {@code source} is {@code messaging_service} (with {@code messaging_service_sid}) or {@code from}
     * (with an E.164 {@code from} number).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sms(String twilioAccountSid, String twilioAuthToken, String source, String messagingServiceSid,
            String from) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String from, Smtp smtp) {
    }

    /** An SMTP server of this connection's own; absent means delivery-service's configured mailer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Smtp(String host, Integer port, String username, String password, Boolean tls) {
    }
}
