package dev.latchkey.admin.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private final MessageTemplates templates = new MessageTemplates();
    private final MessageTemplates.Sample sms = new MessageTemplates.Sample("sms", "fr", "Shop", 6, 300);

    @Test
    void rendersTheVariablesDeliveryServiceProvides() {
        var r = templates.render("{{ code }} {{ application.name }} {{ phone_number }} {{ ttl_minutes }} @@password@@"
                + "{% if request_language contains 'fr' %} bonjour{% endif %}", sms);
        assertNull(r.error());
        assertEquals("482915 Shop +14155550123 5 482915 bonjour", r.text());
        assertEquals("48291", templates.render("{{ code }}", new MessageTemplates.Sample("sms", "en", null, 5, 60))
                .text());
    }

    @Test
    void brokenTemplatesGiveTheEnginesMessageWithoutJavaNames() {
        for (String broken : new String[]{"{{ code ", "{% if code %}", "{% nosuchtag %}", "{{ code | nope }}",
                "{% include 'x' %}", "{% for i in (1..100000000) %}x{% endfor %}"}) {
            var r = templates.render(broken, sms);
            assertFalse(r.ok(), broken);
            assertFalse(r.error().matches(".*\\b(java|liqp)\\.[a-z]+\\..*"), r.error());
        }
        var e = assertThrows(ManagementException.class, () -> templates.check("templates.fr.body", "{{ x ", sms));
        assertTrue(e.getMessage().startsWith("Payload validation error: template templates.fr.body is not valid "
                + "Liquid: parser error"), e.getMessage());
    }

    @Test
    void countsSmsSegments() {
        assertEquals(1, SmsSegments.count("Your verification code is: 123456"));
        assertEquals(1, SmsSegments.count("x".repeat(160)));
        assertEquals(2, SmsSegments.count("x".repeat(161)));
        assertEquals(2, SmsSegments.count("€".repeat(81)), "extension characters take two septets");
        assertEquals(1, SmsSegments.count("Код 123456"));
        assertEquals(2, SmsSegments.count("Код".repeat(24)));
        assertTrue(SmsSegments.gsm7("Votre code est : 123456 é"));
    }
}
