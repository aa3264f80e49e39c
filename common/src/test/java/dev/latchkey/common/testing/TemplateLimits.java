package dev.latchkey.common.testing;

import java.util.List;

import dev.latchkey.common.message.MessageTemplates;

/**
 * Email templates at each limit of the template engine and one step past it, for the tests that show admin-service
 * and delivery-service agree: admin-service stores every {@code at} and refuses every {@code past}; delivery-service
 * delivers every {@code at} (with the longest link a start can make, for the link edge) and dead-letters a
 * {@code past} that reached it around admin-service.
 *
 * @param limit what the edge is about
 * @param html whether the templates are the HTML part (else the text body)
 * @param link whether a delivery of it carries the longest magic link
 * @param problem words of the engine's message about {@code past}
 */
public record TemplateLimits(String limit, String at, String past, boolean html, boolean link, String problem) {

    private static final String KIB = "x".repeat(1024);

    public static List<TemplateLimits> email() {
        int kibs = MessageTemplates.MAX_RENDERED_CHARS / 1024;
        return List.of(
                new TemplateLimits("iterations", "{% for i in (1..1000) %}{% endfor %}Code {{ code }}",
                        "{% for i in (1..1001) %}{% endfor %}Code {{ code }}", false, false,
                        "exceeded maxIterations: 1000"),
                new TemplateLimits("size", "{% for i in (1.." + kibs + ") %}" + KIB + "{% endfor %}",
                        "{% for i in (1.." + kibs + ") %}" + KIB + "{% endfor %}{{ code }}", true, false,
                        "exceeds " + MessageTemplates.MAX_RENDERED_CHARS),
                new TemplateLimits("size with the longest link", "{% for i in (1..5) %}{{ link }}{% endfor %}",
                        "{% for i in (1..6) %}{{ link }}{% endfor %}", false, true,
                        "exceeds " + MessageTemplates.MAX_RENDERED_CHARS),
                new TemplateLimits("strict variables",
                        "{{ code }} {% if request_language == 'xx' %}{{ application.name }} {{ email }}{% endif %}",
                        "{{ code }} {% if request_language == 'xx' %}{{ nope }}{% endif %}", false, false,
                        "no variable named nope"),
                new TemplateLimits("includes", "{{ code }}{% raw %}{% include 'x' %}{% endraw %}",
                        "{{ code }}{% if request_language == 'xx' %}{% include 'x' %}{% endif %}", false, false,
                        "include is not supported"),
                new TemplateLimits("values a filter makes",
                        "{% assign s = 'x' %}{% for i in (1..17) %}{% assign s = s | append: s %}{% endfor %}"
                                + "{{ code }} {{ s.size }}",
                        "{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}"
                                + "{{ code }}",
                        false, false, "filter append makes a value larger than"));
    }
}
