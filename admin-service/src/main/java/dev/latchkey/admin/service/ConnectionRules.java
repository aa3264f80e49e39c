package dev.latchkey.admin.service;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.SmsSettings;
import dev.latchkey.common.crypto.PlatformCipher;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.recipient.Recipients;

/**
 * What a valid connection looks like. Turns a request into the record published on the config topic, encrypting
 * the write-only provider secrets under contexts that bind them to this connection.
 */
final class ConnectionRules {

    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");
    private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
    private static final Pattern MESSAGING_SERVICE_SID = Pattern.compile("^MG[0-9a-fA-F]{32}$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$");
    private static final Pattern NAMED_ADDRESS = Pattern.compile("^\\s*(.*?)\\s*<([^<>]+)>\\s*$");
    private static final int MAX_TEMPLATES = 50;

    private ConnectionRules() {
    }

    static String twilioTokenContext(String connection) {
        return "connection:" + connection + ":twilio_auth_token";
    }

    static String smtpPasswordContext(String connection) {
        return "connection:" + connection + ":smtp_password";
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ManagementException.invalidBody(
                    "name is required: 1 to 64 letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    static String strategy(ConnectionCommand r) {
        if (Channel.of(r.strategy()).isEmpty()) {
            throw ManagementException.invalidBody("strategy must be one of [email, sms]");
        }
        return r.strategy();
    }

    /**
     * The published record for a valid request.
     *
     * @param previous the stored record (on update), whose encrypted secrets are kept when the request leaves them out
     */
    static ConnectionConfig toConfig(ConnectionCommand r, ConnectionConfig previous, PlatformCipher cipher,
            TemplateCheck templates) {
        checkName(r.name());
        String strategy = strategy(r);
        int codeLength = bounded("code_length", r.codeLength(), 6, 4, 10);
        int ttl = bounded("code_ttl_s", r.codeTtlS(), 300, 30, 3600);
        int attempts = bounded("max_attempts", r.maxAttempts(), 3, 1, 10);
        String language = r.defaultLanguage() == null ? "en" : r.defaultLanguage();
        if (!languageTag(language)) {
            throw ManagementException.invalidBody("default_language must be a language tag such as en or pt-BR");
        }
        Map<String, ConnectionConfig.Template> checked = templates(r, strategy, codeLength, ttl, templates);
        SmsSettings sms = null;
        ConnectionConfig.EmailSettings email = null;
        if (Channel.of(strategy).orElseThrow() == Channel.SMS) {
            if (r.email() != null) {
                throw ManagementException.invalidBody("email settings are for email connections");
            }
            sms = r.sms() == null ? null : sms(r.name(), r.sms(), previous == null ? null : previous.sms(), cipher);
        } else {
            if (r.sms() != null) {
                throw ManagementException.invalidBody("sms settings are for sms connections");
            }
            email = r.email() == null
                    ? null
                    : email(r.name(), r.email(), previous == null ? null : previous.email(), cipher);
        }
        return new ConnectionConfig(r.name(), strategy, codeLength, ttl, attempts,
                Boolean.TRUE.equals(r.disableSignup()), r.enabled() == null || r.enabled(), language, checked, sms,
                email);
    }

    private static Map<String, ConnectionConfig.Template> templates(ConnectionCommand r, String strategy,
            int codeLength, int ttl, TemplateCheck engine) {
        Map<String, ConnectionCommand.Template> given = r.templates() == null || r.templates().isEmpty()
                ? DefaultTemplates.forStrategy(strategy)
                : r.templates();
        if (!given.containsKey("default")) {
            throw ManagementException.invalidBody("templates must have a 'default' entry");
        }
        if (given.size() > MAX_TEMPLATES) {
            throw ManagementException.invalidBody("templates has more than " + MAX_TEMPLATES + " languages");
        }
        Map<String, ConnectionConfig.Template> out = new TreeMap<>();
        for (var e : given.entrySet()) {
            String lang = e.getKey();
            if (!"default".equals(lang) && !languageTag(lang)) {
                throw ManagementException.invalidBody("templates: '" + lang + "' is not a language tag");
            }
            ConnectionCommand.Template t = e.getValue();
            String at = "templates." + lang;
            if (t == null || t.body() == null || t.body().isBlank()) {
                throw ManagementException.invalidBody(at + ".body is required");
            }
            var sample = new TemplateCheck.Sample(strategy, "default".equals(lang) ? "en" : lang, null, codeLength,
                    ttl);
            if (Channel.of(strategy).orElseThrow() == Channel.SMS) {
                if (t.subject() != null || t.html() != null) {
                    throw ManagementException.invalidBody(at + ": subject and html are for email templates");
                }
                limit(at + ".body", t.body(), 1600);
            } else {
                if (t.subject() == null || t.subject().isBlank()) {
                    throw ManagementException.invalidBody(at + ".subject is required for email");
                }
                limit(at + ".subject", t.subject(), 255);
                limit(at + ".body", t.body(), 100_000);
                limit(at + ".html", t.html(), 200_000);
                engine.check(at + ".subject", t.subject(), sample);
                engine.check(at + ".html", t.html(), sample);
            }
            engine.check(at + ".body", t.body(), sample);
            out.put(lang, new ConnectionConfig.Template(t.subject(), t.body(), t.html()));
        }
        return out;
    }

    private static SmsSettings sms(String name, ConnectionCommand.Sms s, SmsSettings previous,
            PlatformCipher cipher) {
        if (s.twilioAccountSid() == null || !ACCOUNT_SID.matcher(s.twilioAccountSid()).matches()) {
            throw ManagementException.invalidBody("sms.twilio_account_sid must be a Twilio Account SID (AC + 32 hex)");
        }
        String tokenEnc;
        if (s.twilioAuthToken() != null) {
            String token = s.twilioAuthToken().strip();
            if (token.isEmpty() || token.length() > 256) {
                throw ManagementException.invalidBody("sms.twilio_auth_token must be 1 to 256 characters");
            }
            tokenEnc = cipher.encrypt(token, twilioTokenContext(name));
        } else if (previous != null && previous.twilioAuthTokenEnc() != null) {
            tokenEnc = previous.twilioAuthTokenEnc();
        } else {
            throw ManagementException.invalidBody("sms.twilio_auth_token is required");
        }
        String source = s.source();
        if (SmsSettings.SOURCE_MESSAGING_SERVICE.equals(source)) {
            if (s.messagingServiceSid() == null || !MESSAGING_SERVICE_SID.matcher(s.messagingServiceSid()).matches()) {
                throw ManagementException.invalidBody(
                        "sms.messaging_service_sid must be a Messaging Service SID (MG + 32 hex)");
            }
            return new SmsSettings(s.twilioAccountSid(), tokenEnc, source, s.messagingServiceSid(), null);
        }
        if (SmsSettings.SOURCE_FROM.equals(source)) {
            String from = Recipients.phone(s.from()).orElseThrow(() -> ManagementException.invalidBody(
                    "sms.from must be a phone number in E.164 format, e.g. +14155550100"));
            return new SmsSettings(s.twilioAccountSid(), tokenEnc, source, null, from);
        }
        throw ManagementException.invalidBody("sms.source must be one of [from, messaging_service]");
    }

    private static ConnectionConfig.EmailSettings email(String name, ConnectionCommand.Email e,
            ConnectionConfig.EmailSettings previous, PlatformCipher cipher) {
        String from = fromAddress(e.from());
        ConnectionConfig.Smtp smtp = null;
        if (e.smtp() != null) {
            ConnectionCommand.Smtp s = e.smtp();
            if (s.host() == null || !HOST.matcher(s.host()).matches()) {
                throw ManagementException.invalidBody("email.smtp.host must be a host name or address");
            }
            int port = bounded("email.smtp.port", s.port(), 587, 1, 65535);
            if (s.username() != null && s.username().length() > 256) {
                throw ManagementException.invalidBody("email.smtp.username is longer than 256 characters");
            }
            String passwordEnc = null;
            if (s.password() != null) {
                if (s.password().length() > 256) {
                    throw ManagementException.invalidBody("email.smtp.password is longer than 256 characters");
                }
                passwordEnc = cipher.encrypt(s.password(), smtpPasswordContext(name));
            } else if (previous != null && previous.smtp() != null) {
                passwordEnc = previous.smtp().passwordEnc();
            }
            smtp = new ConnectionConfig.Smtp(s.host(), port, s.username(), passwordEnc, s.tls() == null || s.tls());
        }
        return new ConnectionConfig.EmailSettings(from, smtp);
    }

    /** {@code addr@example.com} or {@code Display Name <addr@example.com>}. */
    private static String fromAddress(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 320) {
            throw ManagementException.invalidBody("email.from is required: an address, or Name <address>");
        }
        Matcher m = NAMED_ADDRESS.matcher(raw);
        String address = m.matches() ? m.group(2) : raw;
        String display = m.matches() ? m.group(1).replace("\"", "") : null;
        if (Recipients.email(address).isEmpty() || (display != null && display.chars().anyMatch(
                c -> Character.isISOControl(c)))) {
            throw ManagementException.invalidBody("email.from must be an address, or Name <address>");
        }
        String normalised = Recipients.email(address).get();
        return display == null || display.isEmpty() ? normalised : display + " <" + normalised + ">";
    }

    static boolean languageTag(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > 35) {
            return false;
        }
        Locale l = Locale.forLanguageTag(tag);
        return !l.getLanguage().isEmpty() && l.toLanguageTag().equalsIgnoreCase(tag);
    }

    private static void limit(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ManagementException.invalidBody(field + " is longer than " + max + " characters");
        }
    }

    private static int bounded(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ManagementException.invalidBody(field + " must be between " + min + " and " + max);
        }
        return v;
    }
}
