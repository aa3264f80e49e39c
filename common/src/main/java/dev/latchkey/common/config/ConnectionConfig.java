package dev.latchkey.common.config;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.latchkey.common.event.Channel;

/**
 * A passwordless connection ({@code sms} or {@code email}), as published on {@code latchkey.config} under the key
 * {@code connection:<name>}. Provider secrets ({@code *_enc}) are encrypted with the platform key (see
 * {@link dev.latchkey.common.crypto.PlatformCipher}); only the service that uses one decrypts it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionConfig(
        String name,
        String strategy,
        Integer codeLength,
        Integer codeTtlS,
        Integer maxAttempts,
        Boolean disableSignup,
        Boolean enabled,
        String defaultLanguage,
        Map<String, Template> templates,
        SmsSettings sms,
        EmailSettings email) {

    public static final String KEY_PREFIX = "connection:";
    public ConnectionConfig {
        templates = templates == null ? Map.of() : Map.copyOf(templates);
    }

    /** The channel its {@code strategy} names; {@code null} for a word that names none (the connection is unusable). */
    @JsonIgnore
    public Channel channel() {
        return Channel.of(strategy).orElse(null);
    }

    public int codeLengthOrDefault() {
        return Objects.requireNonNullElse(codeLength, 6);
    }

    public int codeTtlSeconds() {
        return Objects.requireNonNullElse(codeTtlS, 300);
    }

    public int maxAttemptsOrDefault() {
        return Objects.requireNonNullElse(maxAttempts, 3);
    }

    public boolean signupDisabled() {
        return Boolean.TRUE.equals(disableSignup);
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public String defaultLanguageOrEn() {
        return defaultLanguage == null || defaultLanguage.isBlank() ? "en" : defaultLanguage;
    }

    /** A message template: {@code body} is Liquid; {@code subject} is used by email only. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Template(String subject, String body, String html) {
    }

    /**
     * Twilio settings. {@code source} is {@code messaging_service} (a Messaging Service SID, Auth0's "Copilot") or
     * {@code from} (a sender number).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SmsSettings(String twilioAccountSid, String twilioAuthTokenEnc, String source,
            String messagingServiceSid, String from) {

        public static final String SOURCE_MESSAGING_SERVICE = "messaging_service";
        public static final String SOURCE_FROM = "from";
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EmailSettings(String from, Smtp smtp) {
    }

    /** Optional per-connection SMTP server; absent means the service's configured mailer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Smtp(String host, Integer port, String username, String passwordEnc, Boolean tls) {
    }
}
