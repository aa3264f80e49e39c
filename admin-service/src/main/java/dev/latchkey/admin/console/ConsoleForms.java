package dev.latchkey.admin.console;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.common.event.Channel;

/**
 * The console's forms as JSON merge patches, the same the Management API's PATCH takes, so a form is checked and
 * stored exactly as an API call would be. Pure: a form is the posted fields, each with its values.
 */
final class ConsoleForms {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ConsoleForms() {
    }

    /** The client page: name, one callback and allowed origin a line, enabled connections and grant types. */
    static ObjectNode clientPatch(Map<String, List<String>> form) {
        ObjectNode patch = JSON.objectNode();
        patch.put("name", first(form, "name"));
        patch.set("callbacks", lines(first(form, "callbacks")));
        patch.set("allowed_origins", lines(first(form, "allowed_origins")));
        patch.set("connections", array(form.get("connections")));
        patch.set("grant_types", array(form.get("grant_types")));
        return patch;
    }

    /**
     * The connection page: numbers and switches, then one template per {@code body.<lang>} field; a language marked
     * {@code remove.<lang>} (never {@code default}) is a null, a new one comes from {@code new_language} and the
     * {@code __new} fields, an empty html part is removed.
     */
    static ObjectNode connectionPatch(Map<String, List<String>> form) {
        boolean email = Channel.of(first(form, "strategy")).orElse(null) == Channel.EMAIL;
        ObjectNode patch = JSON.objectNode();
        number(patch, "code_length", first(form, "code_length"));
        number(patch, "code_ttl_s", first(form, "code_ttl_s"));
        number(patch, "max_attempts", first(form, "max_attempts"));
        patch.put("disable_signup", form.containsKey("disable_signup"));
        patch.put("enabled", form.containsKey("enabled"));
        ObjectNode tpl = patch.putObject("templates");
        for (String key : form.keySet()) {
            if (!key.startsWith("body.") || key.equals("body.__new")) {
                continue;
            }
            String lang = key.substring("body.".length());
            if (form.containsKey("remove." + lang) && !"default".equals(lang)) {
                tpl.putNull(lang);
            } else {
                tpl.set(lang, template(form, lang, email));
            }
        }
        String added = first(form, "new_language");
        if (added != null && !added.isBlank()) {
            tpl.set(added.strip(), template(form, "__new", email));
        }
        return patch;
    }

    static String first(Map<String, List<String>> form, String field) {
        List<String> values = form.get(field);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static ObjectNode template(Map<String, List<String>> form, String lang, boolean email) {
        ObjectNode t = JSON.objectNode();
        t.put("body", crlf(first(form, "body." + lang)));
        if (email) {
            t.put("subject", crlf(first(form, "subject." + lang)));
            String html = crlf(first(form, "html." + lang));
            if (html == null || html.isBlank()) {
                t.putNull("html");
            } else {
                t.put("html", html);
            }
        }
        return t;
    }

    /** Browsers send textarea line breaks as CRLF. */
    private static String crlf(String s) {
        return s == null ? null : s.replace("\r\n", "\n");
    }

    private static ArrayNode lines(String text) {
        ArrayNode a = JSON.arrayNode();
        if (text != null) {
            Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).forEach(a::add);
        }
        return a;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.arrayNode();
        if (values != null) {
            values.forEach(a::add);
        }
        return a;
    }

    private static void number(ObjectNode patch, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            patch.put(field, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw ManagementException.invalidBody(field + " must be a whole number");
        }
    }
}
