package dev.latchkey.admin.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The check and preview admin-service runs with the shared engine (its limits: common's MessageTemplatesTest). */
class TemplateCheckTest {

    private final TemplateCheck templates = new TemplateCheck();
    private final TemplateCheck.Sample sms = new TemplateCheck.Sample("sms", "fr", "Shop", 6, 300);

    @Test
    void rendersTheVariablesDeliveryServiceProvides() {
        var r = templates.render("{{ code }} {{ application.name }} {{ phone_number }} {{ ttl_minutes }} @@password@@"
                + "{% if request_language contains 'fr' %} bonjour{% endif %}", sms);
        assertNull(r.error());
        assertEquals("482915 Shop +14155550123 5 482915 bonjour", r.text());
        assertEquals("48291", templates.render("{{ code }}", new TemplateCheck.Sample("sms", "en", null, 5, 60))
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
}
