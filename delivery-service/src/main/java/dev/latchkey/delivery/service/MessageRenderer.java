package dev.latchkey.delivery.service;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.message.MessageTemplates;
import dev.latchkey.common.message.SmsSegments;
import dev.latchkey.common.message.TemplateException;
import dev.latchkey.common.message.TemplateSyntax;
import dev.latchkey.common.message.TemplateVariables;

/**
 * Renders a connection's templates for one delivery, with the engine admin-service checks them with
 * ({@link MessageTemplates}: the same limits, so a template admin-service stored renders here). The template is chosen
 * by the event's language: the exact tag, then its primary language, then the connection's {@code default} entry,
 * then the built-in text. Rendering is CPU work of up to {@link MessageTemplates#RENDER_BUDGET}: it runs on a worker
 * thread ({@link #renderOffTheEventLoop}), never on the event loop.
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

    private final MessageTemplates engine = new MessageTemplates();

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
     * {@link #render} on a worker thread, its outcome delivered back on the caller's Vert.x context (so the record's
     * MDC and trace stay with it); called off Vert.x (a test), it renders in place.
     */
    public Uni<Rendered> renderOffTheEventLoop(ConnectionConfig connection, boolean link, TemplateVariables vars) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().item(() -> render(connection, link, vars));
        }
        return Uni.createFrom()
                .completionStage(() -> context.executeBlocking(() -> render(connection, link, vars), false)
                        .toCompletionStage());
    }

    /**
     * @throws TemplateException when the chosen template does not parse or render; the message names the template
     *         and the engine's complaint, never a variable's value
     */
    public Rendered render(ConnectionConfig connection, boolean link, TemplateVariables vars) {
        Optional<String> key = chooseKey(connection.templates(), vars.language());
        ConnectionConfig.Template custom = key.map(connection.templates()::get).orElse(null);
        String where = key.map(k -> "template '" + k + "' of connection " + connection.name())
                .orElse("built-in template");
        boolean sms = vars.channel() == Channel.SMS;
        if (sms) {
            String body = custom != null && custom.body() != null
                    ? custom.body()
                    : link ? DEFAULT_SMS_LINK : DEFAULT_SMS_CODE;
            return new Rendered(null, render(where, "body", body, vars), null, key.orElse(null));
        }
        String subjectSource = custom != null && custom.subject() != null
                ? custom.subject()
                : link ? DEFAULT_SUBJECT_LINK : DEFAULT_SUBJECT_CODE;
        String subject = render(where, "subject", subjectSource, vars).strip();
        String text;
        String html;
        if (custom != null && (custom.body() != null || custom.html() != null)) {
            text = custom.body() == null ? null : render(where, "body", custom.body(), vars);
            html = custom.html() == null ? null : render(where, "html", custom.html(), vars);
            // Mail goes out with both parts; the missing one is derived from the other.
            if (html == null) {
                html = textToHtml(text);
            } else if (text == null) {
                text = htmlToText(html);
            }
        } else {
            text = render(where, "body", link ? DEFAULT_TEXT_LINK : DEFAULT_TEXT_CODE, vars);
            html = render(where, "html", link ? DEFAULT_HTML_LINK : DEFAULT_HTML_CODE, vars);
        }
        return new Rendered(subject, text, html, key.orElse(null));
    }

    private String render(String where, String part, String source, TemplateVariables values) {
        try {
            return engine.render(source, TemplateSyntax.LIQUID, values);
        } catch (TemplateException e) {
            throw new TemplateException(where + " (" + part + ") does not render: " + e.getMessage());
        }
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
}
