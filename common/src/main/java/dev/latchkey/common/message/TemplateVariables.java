package dev.latchkey.common.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.latchkey.common.event.Channel;

/**
 * What a message template sees: {@code code} (and {@code password}, the same, for {@code @@password@@}), {@code link},
 * {@code phone_number} (SMS) or {@code email}, {@code application.name}, {@code request_language} and
 * {@code ttl_minutes}. A value that does not apply (the link of a code message) is nil: it renders empty and is false
 * in a condition.
 *
 * @param code the one-time code (absent only from a malformed event)
 * @param link the magic link, for a {@code send=link} email
 * @param recipient the phone number or email address the message goes to
 * @param applicationName the client's name, when known
 * @param language the BCP 47 tag chosen at start
 * @param ttlMinutes the code's lifetime in minutes ({@link #ttlMinutes(int)})
 */
public record TemplateVariables(String code, String link, String recipient, Channel channel, String applicationName,
        String language, int ttlMinutes) {

    /**
     * The longest magic link a delivery can carry: otp-service copies the start's authParams into it, from a body of at
     * most 16 KiB, each byte at most three characters once percent-encoded, after at most 1 KiB of fixed part.
     */
    public static final int LONGEST_LINK = 3 * 16 * 1024 + 1024;
    /** The longest client name admin-service stores. */
    public static final int LONGEST_APPLICATION_NAME = 200;
    /** The longest email address (RFC 5321 path limit) and phone number (E.164) a start accepts. */
    public static final int LONGEST_EMAIL = 254;
    public static final int LONGEST_PHONE = 16;

    private static final String SAMPLE_CODE = "4829150371";
    private static final String SAMPLE_LINK = "http://127.0.0.1:8080/passwordless/verify_redirect?verification_code=";

    /** The one rounding rule: whole minutes, rounded up, at least one (300 s: 5; 90 s: 2; 30 s: 1). */
    public static int ttlMinutes(int ttlSeconds) {
        return Math.max(1, (ttlSeconds + 59) / 60);
    }

    /** The names a template of this channel may use (besides what it assigns itself, and {@code forloop}). */
    public static Set<String> names(Channel channel) {
        return Set.of("code", "password", "link", channel == Channel.SMS ? "phone_number" : "email", "application",
                "request_language", "ttl_minutes");
    }

    /** The keys of the {@code application} object. */
    static Set<String> applicationKeys() {
        return Set.of("name");
    }

    /**
     * The values the console's preview shows: a code of the connection's length, a sample recipient, link and
     * application name.
     */
    public static TemplateVariables preview(Channel channel, String language, String applicationName, int codeLength,
            int ttlSeconds) {
        String code = SAMPLE_CODE.substring(0, Math.max(4, Math.min(10, codeLength)));
        return new TemplateVariables(code, SAMPLE_LINK + code,
                channel == Channel.SMS ? "+14155550123" : "jane@example.com", channel,
                applicationName == null ? "Example app" : applicationName, language == null ? "en" : language,
                ttlMinutes(ttlSeconds));
    }

    /**
     * The longest values a delivery of this connection can carry, which a template is checked with before it is
     * stored: whatever a delivery carries then renders within the same limits.
     */
    public static TemplateVariables longest(Channel channel, String language, int codeLength, int ttlSeconds) {
        String code = SAMPLE_CODE.substring(0, Math.max(4, Math.min(10, codeLength)));
        String link = pad(SAMPLE_LINK + code + "&state=", LONGEST_LINK);
        String recipient = channel == Channel.SMS
                ? "+" + "4".repeat(LONGEST_PHONE - 1)
                : pad("", LONGEST_EMAIL - "@example.com".length()) + "@example.com";
        return new TemplateVariables(code, link, recipient, channel, pad("", LONGEST_APPLICATION_NAME),
                language == null ? "en" : language, ttlMinutes(ttlSeconds));
    }

    private static String pad(String start, int length) {
        return start + "x".repeat(Math.max(0, length - start.length()));
    }

    /** The variables as the template engine reads them. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("code", code);
        m.put("password", code);
        m.put("link", link);
        m.put(channel == Channel.SMS ? "phone_number" : "email", recipient);
        m.put("application", Map.of("name", applicationName == null ? "" : applicationName));
        m.put("request_language", language);
        m.put("ttl_minutes", ttlMinutes);
        return m;
    }
}
