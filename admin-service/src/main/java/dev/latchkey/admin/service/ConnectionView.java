package dev.latchkey.admin.service;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A connection as the API shows it: secrets are never returned, only whether one is set. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(
        String name,
        String strategy,
        Boolean enabled,
        Integer codeLength,
        Integer codeTtlS,
        Integer maxAttempts,
        Boolean disableSignup,
        String defaultLanguage,
        Map<String, ConnectionCommand.Template> templates,
        Sms sms,
        Email email,
        Instant createdAt,
        Instant updatedAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sms(String twilioAccountSid, boolean twilioAuthTokenSet, String source, String messagingServiceSid,
            String from) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String from, Smtp smtp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Smtp(String host, Integer port, String username, boolean passwordSet, Boolean tls) {
    }
}
