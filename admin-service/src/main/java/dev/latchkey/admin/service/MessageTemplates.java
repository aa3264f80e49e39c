package dev.latchkey.admin.service;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import liqp.Template;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;

/**
 * The Liquid engine (liqp, the one delivery-service renders with) used to check templates before they are stored and
 * to render the console's live preview. {@code include} is refused: a template must not read files of the server.
 */
@ApplicationScoped
public class MessageTemplates {

    static final String LEGACY_PASSWORD = "@@password@@";

    private final TemplateParser parser = new TemplateParser.Builder()
            .withMaxRenderTimeMillis(1000)
            .withMaxIterations(10_000)
            .withMaxSizeRenderedString(100_000)
            .withNameResolver(name -> {
                throw new IOException("include is not supported in message templates");
            })
            .build();

    /** The sample values a template is rendered with when checked or previewed. */
    public record Sample(String strategy, String language, String applicationName, int codeLength, int ttlSeconds) {

        public Map<String, Object> variables() {
            String code = "4829150371".substring(0, Math.max(4, Math.min(10, codeLength)));
            Map<String, Object> v = new HashMap<>();
            v.put("code", code);
            v.put("password", code);
            v.put("request_language", language == null ? "en" : language);
            v.put("application", Map.of("name", applicationName == null ? "Example app" : applicationName));
            v.put("ttl_minutes", Math.max(1, ttlSeconds / 60));
            v.put("link", "http://127.0.0.1:8080/passwordless/verify_redirect?verification_code=" + code);
            if ("sms".equals(strategy)) {
                v.put("phone_number", "+14155550123");
            } else {
                v.put("email", "jane@example.com");
            }
            return v;
        }
    }

    /** The outcome of rendering one template: the text, or the engine's message saying what is wrong. */
    public record Rendered(String text, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Parses and renders a template with sample values.
     *
     * @throws ManagementException (400) naming {@code field} and carrying the engine's message when it is broken
     */
    public void check(String field, String source, Sample sample) {
        Rendered r = render(source, sample);
        if (!r.ok()) {
            throw ManagementException.invalidBody("template " + field + " is not valid Liquid: " + r.error());
        }
    }

    public Rendered render(String source, Sample sample) {
        if (source == null) {
            return new Rendered("", null);
        }
        Template template;
        try {
            template = parser.parse(source);
        } catch (RuntimeException e) {
            return new Rendered(null, message(e));
        }
        try {
            Map<String, Object> vars = sample.variables();
            String text = template.render(vars);
            return new Rendered(text.replace(LEGACY_PASSWORD, String.valueOf(vars.get("password"))), null);
        } catch (RuntimeException e) {
            return new Rendered(null, message(e));
        }
    }

    /** The engine's own words: the innermost message (liqp wraps render failures in a generic one). */
    private static String message(Throwable e) {
        if (e instanceof LiquidException) {
            return e.getMessage();
        }
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !t.getMessage().startsWith("Oops")) {
                message = t.getMessage();
            }
            if (t instanceof LiquidException) {
                break;
            }
        }
        if (message == null) {
            return "the template could not be rendered";
        }
        // Executor wrappers prefix the cause's class name; the caller needs only the words.
        return message.replaceFirst("^[a-z]+(\\.[a-zA-Z0-9_$]+)+: ", "");
    }
}
