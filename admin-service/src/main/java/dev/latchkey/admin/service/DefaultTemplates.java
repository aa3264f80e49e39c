package dev.latchkey.admin.service;

import java.util.Map;

import dev.latchkey.admin.service.ConnectionCommand.Template;
import dev.latchkey.common.event.Channel;

/** The templates a connection gets when it is created without any. */
public final class DefaultTemplates {

    /** Fits one GSM-7 segment with any code length. */
    public static final String SMS_BODY = "Your verification code is: {{ code }}";

    public static final String EMAIL_SUBJECT = "Your verification code for {{ application.name }}";

    public static final String EMAIL_TEXT = """
            Your verification code for {{ application.name }} is {{ code }}.
            {% if link %}
            Or sign in with this link: {{ link }}
            {% endif %}
            It expires in {{ ttl_minutes }} minutes. If you did not ask for it, ignore this message.
            """;

    public static final String EMAIL_HTML = """
            <!doctype html>
            <html lang="{{ request_language }}">
            <body style="font-family: sans-serif">
              <p>Your verification code for {{ application.name }} is</p>
              <p style="font-size: 28px; letter-spacing: 4px"><strong>{{ code }}</strong></p>
              {% if link %}<p><a href="{{ link }}">Sign in to {{ application.name }}</a></p>{% endif %}
              <p>It expires in {{ ttl_minutes }} minutes. If you did not ask for it, ignore this message.</p>
            </body>
            </html>
            """;

    private DefaultTemplates() {
    }

    public static Map<String, Template> forStrategy(String strategy) {
        return Channel.of(strategy).orElse(null) == Channel.SMS
                ? Map.of("default", new Template(null, SMS_BODY, null))
                : Map.of("default", new Template(EMAIL_SUBJECT, EMAIL_TEXT, EMAIL_HTML));
    }
}
