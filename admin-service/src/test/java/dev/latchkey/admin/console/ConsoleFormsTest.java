package dev.latchkey.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.latchkey.admin.service.ManagementException;

/** The console's forms as merge patches, without a server. */
class ConsoleFormsTest {

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            f.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return f;
    }

    @Test
    void clientFormIsOneLinePerCallbackAndEveryTickedBox() {
        ObjectNode patch = ConsoleForms.clientPatch(form("name", "Shop", "callbacks",
                " https://a.example/cb \r\n\r\nhttps://b.example/cb\n", "connections", "sms", "connections", "email",
                "grant_types", "refresh_token"));
        assertEquals("Shop", patch.get("name").asText());
        assertEquals("[\"https://a.example/cb\",\"https://b.example/cb\"]", patch.get("callbacks").toString());
        assertEquals("[]", patch.get("allowed_origins").toString(), "an absent textarea empties the list");
        assertEquals("[\"sms\",\"email\"]", patch.get("connections").toString());
        assertEquals("[\"refresh_token\"]", patch.get("grant_types").toString());
    }

    @Test
    void connectionFormRemovesAddsAndKeepsTemplatesAndSwitchesAreCheckboxes() {
        ObjectNode patch = ConsoleForms.connectionPatch(form("strategy", "email", "code_length", " 8 ",
                "code_ttl_s", "", "enabled", "on", "body.default", "Hi\r\n{{ code }}", "subject.default", "Code",
                "html.default", " ", "body.fr", "Bonjour", "remove.fr", "on", "remove.default", "on",
                "new_language", " de ", "body.__new", "Hallo", "subject.__new", "Kode", "html.__new", "<p>x</p>"));
        assertEquals(8, patch.get("code_length").asInt());
        assertFalse(patch.has("code_ttl_s"), "a blank number keeps the current value");
        assertTrue(patch.get("enabled").asBoolean());
        assertFalse(patch.get("disable_signup").asBoolean(), "an unticked box is false");
        ObjectNode t = (ObjectNode) patch.get("templates");
        assertEquals("Hi\n{{ code }}", t.get("default").get("body").asText(), "CRLF from a textarea is LF");
        assertTrue(t.get("default").get("html").isNull(), "a blank html part is removed");
        assertTrue(t.get("fr").isNull(), "a removed language is a null in the merge patch");
        assertEquals("{\"body\":\"Hallo\",\"subject\":\"Kode\",\"html\":\"<p>x</p>\"}", t.get("de").toString());
        assertFalse(t.has("__new"));
    }

    @Test
    void smsTemplatesCarryOnlyABody() {
        ObjectNode patch = ConsoleForms.connectionPatch(form("strategy", "sms", "body.default", "{{ code }}",
                "subject.default", "ignored"));
        assertEquals("{\"body\":\"{{ code }}\"}", patch.get("templates").get("default").toString());
    }

    @Test
    void aNumberThatIsNotWholeIsTheApisInvalidBody() {
        var e = assertThrows(ManagementException.class,
                () -> ConsoleForms.connectionPatch(form("strategy", "sms", "max_attempts", "3.5")));
        assertTrue(e.getMessage().endsWith("max_attempts must be a whole number"), e.getMessage());
    }
}
