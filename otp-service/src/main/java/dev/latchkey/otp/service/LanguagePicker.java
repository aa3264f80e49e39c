package dev.latchkey.otp.service;

import java.util.List;
import java.util.Locale;

import dev.latchkey.common.config.ConnectionConfig;

/**
 * Chooses the message language of a start, as Auth0 does: {@code x-request-language}, else {@code accept-language},
 * else the connection's default. Among the languages asked for, one the connection has a template for wins (so
 * {@code fr-CA, en;q=0.5} gets the {@code fr} template when there is one); if none has a template, the caller's first
 * choice is kept, and delivery-service falls back to the default template.
 */
final class LanguagePicker {

    private static final int MAX_HEADER = 256;

    private LanguagePicker() {
    }

    static String pick(String header, ConnectionConfig connection) {
        List<Locale.LanguageRange> asked = parse(header);
        if (!asked.isEmpty()) {
            List<String> offered = connection.templates().keySet().stream().filter(t -> !"default".equals(t))
                    .toList();
            String match = offered.isEmpty() ? null : Locale.lookupTag(asked, offered);
            if (match != null) {
                return match;
            }
            for (Locale.LanguageRange r : asked) {
                if (!r.getRange().contains("*") && r.getWeight() > 0) {
                    return Locale.forLanguageTag(r.getRange()).toLanguageTag();
                }
            }
        }
        return connection.defaultLanguageOrEn();
    }

    private static List<Locale.LanguageRange> parse(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER) {
            return List.of();
        }
        try {
            return Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
