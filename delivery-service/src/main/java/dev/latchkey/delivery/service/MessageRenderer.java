package dev.latchkey.delivery.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import liqp.Template;
import liqp.TemplateParser;

import dev.latchkey.common.config.ConnectionConfig;

/**
 * Renders a connection's Liquid templates (liqp) for one delivery. The template is chosen by the event's language:
 * the exact tag, then its primary language, then the connection's {@code default} entry, then the built-in text.
 * The legacy {@code @@password@@} placeholder stands for {@code {{ password }}}.
 */
@ApplicationScoped
public class MessageRenderer {

    static final String DEFAULT_SMS_CODE = "Your verification code is: {{ code }}";
    static final String DEFAULT_SMS_LINK = "Sign in: {{ link }}";
    static final String DEFAULT_SUBJECT_CODE = "Your verification code";
    static final String DEFAULT_SUBJECT_LINK = "Your sign-in link";
    static final String DEFAULT_TEXT_CODE = "Your verification code is: {{ code }}\n\n"
            + "It expires in {{ ttl_minutes }} minutes. If you did not ask for it, you can ignore this email.\n";
    static final String DEFAULT_HTML_CODE = "<p>Your verification code is: <strong>{{ code }}</strong></p>\n"
            + "<p>It expires in {{ ttl_minutes }} minutes. If you did not ask for it, you can ignore this email.</p>\n";
    static final String DEFAULT_TEXT_LINK = "Sign in with this link: {{ link }}\n\n"
            + "It expires in {{ ttl_minutes }} minutes. If you did not ask for it, you can ignore this email.\n";
    static final String DEFAULT_HTML_LINK = "<p><a href=\"{{ link }}\">Sign in</a></p>\n"
            + "<p>It expires in {{ ttl_minutes }} minutes. If you did not ask for it, you can ignore this email.</p>\n";

    private static final String DEFAULT_KEY = "default";
    private static final int CACHE_LIMIT = 1000;

    // Limits keep a hostile or careless template from looping or growing without bound.
    private final TemplateParser parser = new TemplateParser.Builder()
            .withErrorMode(TemplateParser.ErrorMode.STRICT)
            .withMaxIterations(1000)
            .withMaxSizeRenderedString(64 * 1024)
            .build();
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    /** What a template sees. {@code code} is null for a link-only event, {@code link} for a code-only one. */
    public record Variables(String code, String link, String recipient, String channel, String applicationName,
            String language, int ttlMinutes) {

        Map<String, Object> asMap() {
            Map<String, Object> m = new HashMap<>();
            m.put("code", code);
            m.put("password", code);
            m.put("link", link);
            m.put(ConnectionConfig.SMS.equals(channel) ? "phone_number" : "email", recipient);
            m.put("application", Map.of("name", applicationName == null ? "" : applicationName));
            m.put("request_language", language);
            m.put("ttl_minutes", ttlMinutes);
            return m;
        }
    }

    /** A message ready to send: {@code subject} and {@code html} are null for SMS. */
    public record Rendered(String subject, String text, String html, String templateKey) {

        public int segments() {
            return SmsSegments.count(text);
        }
    }

    /** The template key chosen for a language: exact tag, primary language, then {@code default}. */
    public static Optional<String> chooseKey(Map<String, ConnectionConfig.Template> templates, String language) {
        if (templates.isEmpty()) {
            return Optional.empty();
        }
        if (language != null && !language.isBlank()) {
            String tag = language.strip().replace('_', '-');
            for (String key : templates.keySet()) {
                if (key.equalsIgnoreCase(tag)) {
                    return Optional.of(key);
                }
            }
            String primary = tag.split("-", 2)[0];
            for (String key : templates.keySet()) {
                if (key.equalsIgnoreCase(primary)) {
                    return Optional.of(key);
                }
            }
        }
        return templates.containsKey(DEFAULT_KEY) ? Optional.of(DEFAULT_KEY) : Optional.empty();
    }

    /**
     * @throws TemplateException when the chosen template does not parse or render; the message names the template
     *         and the parser's complaint, never a variable's value
     */
    public Rendered render(ConnectionConfig connection, boolean link, Variables vars) {
        Optional<String> key = chooseKey(connection.templates(), vars.language());
        ConnectionConfig.Template custom = key.map(connection.templates()::get).orElse(null);
        String where = key.map(k -> "template '" + k + "' of connection " + connection.name())
                .orElse("built-in template");
        Map<String, Object> values = vars.asMap();
        boolean sms = ConnectionConfig.SMS.equals(vars.channel());
        if (sms) {
            String body = custom != null && custom.body() != null
                    ? custom.body()
                    : link ? DEFAULT_SMS_LINK : DEFAULT_SMS_CODE;
            return new Rendered(null, render(where, "body", body, values), null, key.orElse(null));
        }
        String subjectSource = custom != null && custom.subject() != null
                ? custom.subject()
                : link ? DEFAULT_SUBJECT_LINK : DEFAULT_SUBJECT_CODE;
        String subject = render(where, "subject", subjectSource, values).strip();
        String text;
        String html;
        if (custom != null && (custom.body() != null || custom.html() != null)) {
            text = custom.body() == null ? null : render(where, "body", custom.body(), values);
            html = custom.html() == null ? null : render(where, "html", custom.html(), values);
            // Mail goes out with both parts; the missing one is derived from the other.
            if (html == null) {
                html = textToHtml(text);
            } else if (text == null) {
                text = htmlToText(html);
            }
        } else {
            text = render(where, "body", link ? DEFAULT_TEXT_LINK : DEFAULT_TEXT_CODE, values);
            html = render(where, "html", link ? DEFAULT_HTML_LINK : DEFAULT_HTML_CODE, values);
        }
        return new Rendered(subject, text, html, key.orElse(null));
    }

    private String render(String where, String part, String source, Map<String, Object> values) {
        try {
            Template t = parsed.get(source);
            if (t == null) {
                t = parser.parse(source.replace("@@password@@", "{{ password }}"));
                if (parsed.size() >= CACHE_LIMIT) {
                    parsed.clear();
                }
                parsed.put(source, t);
            }
            return t.render(values);
        } catch (RuntimeException e) {
            throw new TemplateException(where + " (" + part + ") does not render: " + describe(e));
        }
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static String textToHtml(String text) {
        StringBuilder b = new StringBuilder("<p>");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\n' -> b.append("<br>\n");
                default -> b.append(c);
            }
        }
        return b.append("</p>\n").toString();
    }

    static String htmlToText(String html) {
        return html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</p>", "\n").replaceAll("<[^>]*>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ")
                .replace("&amp;", "&").strip() + "\n";
    }

    /** A template that does not parse or render: a permanent failure of the event, not of the consumer. */
    public static class TemplateException extends RuntimeException {

        public TemplateException(String message) {
            super(message, null, false, false);
        }
    }
}
