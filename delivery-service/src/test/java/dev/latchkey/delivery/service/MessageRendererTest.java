package dev.latchkey.delivery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.Template;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.message.TemplateException;
import dev.latchkey.common.message.TemplateVariables;

class MessageRendererTest {

    private final MessageRenderer renderer = new MessageRenderer();

    private static ConnectionConfig sms(Map<String, Template> templates) {
        return new ConnectionConfig("sms-test", "sms", 6, 300, 3, false, true, "en", templates, null, null);
    }

    private static ConnectionConfig email(Map<String, Template> templates) {
        return new ConnectionConfig("email-test", "email", 6, 300, 3, false, true, "en", templates, null, null);
    }

    private static TemplateVariables smsVars(String language) {
        return new TemplateVariables("123456", null, "+14155550123", Channel.SMS, "Acme", language, 5);
    }

    @Test
    void languageChoiceIsExactThenPrimaryThenDefault() {
        Map<String, Template> t = Map.of("default", new Template(null, "d", null), "fr", new Template(null, "f",
                null), "pt-BR", new Template(null, "p", null));
        assertEquals(Optional.of("pt-BR"), MessageRenderer.chooseKey(t, "pt-br"));
        assertEquals(Optional.of("fr"), MessageRenderer.chooseKey(t, "fr-CA"));
        assertEquals(Optional.of("fr"), MessageRenderer.chooseKey(t, "fr"));
        assertEquals(Optional.of("default"), MessageRenderer.chooseKey(t, "pt"));
        assertEquals(Optional.of("default"), MessageRenderer.chooseKey(t, "de"));
        assertEquals(Optional.of("default"), MessageRenderer.chooseKey(t, null));
        assertEquals(Optional.empty(), MessageRenderer.chooseKey(Map.of("fr", new Template(null, "f", null)), "de"));
    }

    @Test
    void defaultSmsBody() {
        var r = renderer.render(sms(Map.of()), false, smsVars("en"));
        assertEquals("Your verification code is: 123456", r.text());
        assertEquals(1, r.segments());
        assertNull(r.subject());
    }

    @Test
    void allVariablesAndTheLegacyPlaceholder() {
        var r = renderer.render(sms(Map.of("default", new Template(null,
                "@@password@@|{{ password }}|{{ code }}|{{ phone_number }}|{{ application.name }}|"
                        + "{{ request_language }}|{{ ttl_minutes }}|{% if request_language contains 'fr' %}fr{% else %}"
                        + "other{% endif %}",
                null))), false, smsVars("fr-CA"));
        assertEquals("123456|123456|123456|+14155550123|Acme|fr-CA|5|fr", r.text());
    }

    @Test
    void brokenTemplatesFailWithTheParserMessageAndNoValues() {
        var e = assertThrows(TemplateException.class, () -> renderer.render(
                sms(Map.of("default", new Template(null, "{% if code %}{{ code }}", null))), false,
                smsVars("en")));
        assertTrue(e.getMessage().contains("template 'default' of connection sms-test"), e.getMessage());
        assertFalse(e.getMessage().contains("123456"));
        assertThrows(TemplateException.class, () -> renderer.render(
                sms(Map.of("default", new Template(null, "{% for i in (1..100000) %}x{% endfor %}", null))), false,
                smsVars("en")));
        assertThrows(TemplateException.class, () -> renderer.render(
                sms(Map.of("default", new Template(null, "{{ code | no_such_filter }}", null))), false,
                smsVars("en")));
    }

    @Test
    void emailDefaultsHaveSubjectTextAndHtml() {
        var r = renderer.render(email(Map.of()), false,
                new TemplateVariables("654321", null, "a@b.test", Channel.EMAIL, "Acme", "en", 5));
        assertEquals("Your verification code", r.subject());
        assertTrue(r.text().contains("Your verification code is: 654321"));
        assertTrue(r.html().contains("<strong>654321</strong>"));
    }

    @Test
    void aMissingEmailPartIsDerivedFromTheOther() {
        var textOnly = renderer.render(email(Map.of("default", new Template("S", "a < b\nline 2", null))), false,
                new TemplateVariables("1", null, "a@b.test", Channel.EMAIL, null, "en", 5));
        assertEquals("<p>a &lt; b<br>\nline 2</p>\n", textOnly.html());
        var htmlOnly = renderer.render(email(Map.of("default", new Template("S", null, "<p>Code <b>{{ code }}</b>"
                + "</p><p>Bye &amp; thanks</p>"))), false,
                new TemplateVariables("42", null, "a@b.test", Channel.EMAIL, null, "en", 5));
        assertEquals("Code 42\nBye & thanks\n", htmlOnly.text());
    }
}
