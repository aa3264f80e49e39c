package dev.latchkey.common.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.event.Channel;

/**
 * The engine's limits, each at its edge: what the check accepts renders at delivery with whatever a delivery carries
 * (the longest values), and one step past the edge is refused by the check.
 */
class MessageTemplatesTest {

    private final MessageTemplates engine = new MessageTemplates();

    private static final TemplateVariables SMS = new TemplateVariables("123456", null, "+14155550123", Channel.SMS,
            "Acme", "en", 5);
    private static final TemplateVariables LINK = new TemplateVariables("123456",
            "https://login.example.com/passwordless/verify_redirect?verification_code=123456", "a@b.test",
            Channel.EMAIL, "Acme", "en", 5);

    private Optional<String> smsProblem(String source) {
        return engine.problem(source, TemplateSyntax.LIQUID, Channel.SMS, "en", 6, 300);
    }

    private Optional<String> emailProblem(String source) {
        return engine.problem(source, TemplateSyntax.LIQUID, Channel.EMAIL, "en", 6, 300);
    }

    /** Accepted by the check, and rendered with the longest values a delivery can carry. */
    private void acceptedAndRendered(Channel channel, String source) {
        assertEquals(Optional.empty(), engine.problem(source, TemplateSyntax.LIQUID, channel, "en", 6, 300),
                source.length() > 200 ? source.substring(0, 200) + "..." : source);
        engine.render(source, TemplateSyntax.LIQUID, TemplateVariables.longest(channel, "en", 6, 300));
    }

    private static void noJavaNames(String message) {
        assertFalse(message.matches("(?s).*\\b(java|liqp|dev)\\.[a-z]+\\..*"), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void loopsUpToTheIterationLimit() {
        acceptedAndRendered(Channel.SMS, "{% for i in (1..1000) %}{% endfor %}{{ code }}");
        acceptedAndRendered(Channel.SMS, "{% for i in (1..40) %}{% for j in (1..24) %}{% endfor %}{% endfor %}");
        String over = smsProblem("{% for i in (1..1001) %}{% endfor %}{{ code }}").orElseThrow();
        assertEquals("exceeded maxIterations: 1000", over);
        assertTrue(smsProblem("{% for i in (1..41) %}{% for j in (1..24) %}{% endfor %}{% endfor %}").isPresent(),
                "nested loops count together, the outer iterations too");
        assertThrows(TemplateException.class, () -> engine.render(
                "{% for i in (1..100000000) %}x{% endfor %}", TemplateSyntax.LIQUID, SMS));
    }

    @Test
    void outputUpToTheSizeLimitWithTheLongestValues() {
        int max = MessageTemplates.MAX_RENDERED_CHARS;
        String kib = "x".repeat(1024);
        acceptedAndRendered(Channel.SMS, "{% for i in (1.." + max / 1024 + ") %}" + kib + "{% endfor %}");
        assertTrue(smsProblem("{% for i in (1.." + max / 1024 + ") %}" + kib + "{% endfor %}!").isPresent());
        // A magic link can be ~50,000 characters: five fit, six do not — the check uses the longest one, so a link
        // that long at delivery still fits, where a check with a short sample link would have let six through.
        acceptedAndRendered(Channel.EMAIL, "{% for i in (1..5) %}{{ link }}{% endfor %}");
        String six = emailProblem("{% for i in (1..6) %}{{ link }}{% endfor %}").orElseThrow();
        assertTrue(six.contains("exceeds " + max), six);
        assertEquals(6 * LINK.link().length(),
                engine.render("{% for i in (1..6) %}{{ link }}{% endfor %}", TemplateSyntax.LIQUID, LINK).length(),
                "a short link renders; only the check plans for the longest");
    }

    @Test
    void valuesFiltersMakeAreBoundedToo() {
        // Each would otherwise run out of memory long before the output limit is looked at.
        for (String runaway : new String[]{
                "{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
                "{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | replace: 'x', 'xx' %}{% endfor %}",
                "{% assign a = 'x' | split: '' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}",
                "{% assign n = 10.5 %}{% for i in (1..40) %}{% assign n = n | times: n %}{% endfor %}"}) {
            String problem = smsProblem(runaway).orElseThrow(() -> new AssertionError(runaway));
            assertTrue(problem.startsWith("filter "), problem);
            noJavaNames(problem);
        }
        acceptedAndRendered(Channel.SMS,
                "{% assign s = 'x' %}{% for i in (1..17) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}");
    }

    @Test
    void strictVariablesInEveryBranch() {
        acceptedAndRendered(Channel.SMS, "{{ code }} {{ password }} {{ phone_number }} {{ application.name }} "
                + "{{ request_language }} {{ ttl_minutes }} {% if link %}{{ link }}{% endif %} @@password@@");
        acceptedAndRendered(Channel.EMAIL, "{{ email }} {% assign x = code | append: '!' %}{{ x }}"
                + "{% capture y %}{{ code }}{% endcapture %}{{ y }}{% for c in (1..2) %}{{ c }}{{ forloop.index }}"
                + "{% endfor %}{% increment n %}{{ n }}");
        assertEquals("no variable named cod (a sms template has application, code, link, password, phone_number, "
                + "request_language, ttl_minutes, application.name)", smsProblem("{{ cod }}").orElseThrow());
        // Not taken with any sample value, refused all the same: at delivery another language would take it.
        assertTrue(smsProblem("{% if request_language == 'xx' %}{{ nope }}{% endif %}").isPresent());
        assertTrue(smsProblem("{{ email }}").isPresent(), "an SMS template has no email");
        assertTrue(emailProblem("{{ phone_number }}").isPresent());
        assertTrue(smsProblem("{{ application.nme }}").isPresent());
        assertTrue(smsProblem("{{ nope | default: 'x' }}").isPresent());
    }

    @Test
    void aValueThatDoesNotApplyIsNil() {
        String either = "{% if link %}Sign in: {{ link }}{% else %}Code: {{ code }}{% endif %}";
        assertEquals("Code: 123456", engine.render(either, TemplateSyntax.LIQUID, SMS));
        assertEquals("Sign in: " + LINK.link(), engine.render(either, TemplateSyntax.LIQUID, LINK));
        assertEquals("[]", engine.render("[{{ link }}]", TemplateSyntax.LIQUID, SMS));
    }

    @Test
    void noIncludeAnywhere() {
        assertEquals("include is not supported in message templates", smsProblem("{% include 'x' %}").orElseThrow());
        assertTrue(smsProblem("{% if false %}{% include '/etc/passwd' %}{% endif %}").isPresent());
        assertTrue(smsProblem("{% render 'x' %}").isPresent());
        assertThrows(TemplateException.class,
                () -> engine.render("{% if false %}{% include 'x' %}{% endif %}", TemplateSyntax.LIQUID, SMS));
    }

    @Test
    void templateSizeAndSyntax() {
        acceptedAndRendered(Channel.EMAIL, "x".repeat(MessageTemplates.MAX_TEMPLATE_CHARS));
        assertEquals("the template is longer than 200000 characters",
                emailProblem("x".repeat(MessageTemplates.MAX_TEMPLATE_CHARS + 1)).orElseThrow());
        for (String broken : new String[]{"{{ code ", "{% if code %}", "{% nosuchtag %}", "{{ code | nope }}",
                "{% if a %}".repeat(20_000)}) {
            String problem = smsProblem(broken).orElseThrow(() -> new AssertionError(broken));
            noJavaNames(problem);
        }
        var e = assertThrows(TemplateException.class,
                () -> engine.render("{% if code %}{{ code }}", TemplateSyntax.LIQUID, SMS));
        assertFalse(e.getMessage().contains("123456"), "never a value in the message");
    }

    @Test
    void aDeadlineForEveryRender() {
        AtomicLong now = new AtomicLong();
        // Each filter call takes 10 ms of this clock.
        MessageTemplates slow = new MessageTemplates(() -> now.addAndGet(10_000_000), Duration.ofMillis(1000),
                Duration.ofMillis(250));
        String twenty = "{% for i in (1..20) %}{{ code | upcase }}{% endfor %}";
        assertEquals(Optional.empty(), slow.problem(twenty, TemplateSyntax.LIQUID, Channel.SMS, "en", 6, 300));
        String sixty = "{% for i in (1..60) %}{{ code | upcase }}{% endfor %}";
        assertEquals("the template takes too long to render",
                slow.problem(sixty, TemplateSyntax.LIQUID, Channel.SMS, "en", 6, 300).orElseThrow());
        // What the check refuses at a quarter of the budget, a delivery still renders: the check keeps a margin.
        slow.render(sixty, TemplateSyntax.LIQUID, SMS);
    }

    @Test
    void theLegacyPlaceholderAndMacroSyntax() {
        assertEquals("123456|123456", engine.render("@@password@@|{{ password }}", TemplateSyntax.LIQUID, SMS));
        assertEquals("Code: 123456 {{ code }} {% if %}",
                engine.render("Code: @@password@@ {{ code }} {% if %}", TemplateSyntax.MD_WITH_MACROS, SMS));
        assertEquals(Optional.empty(),
                engine.problem("{% if %} @@password@@", TemplateSyntax.MD_WITH_MACROS, Channel.SMS, "en", 6, 300));
        assertEquals(Optional.of(TemplateSyntax.LIQUID), TemplateSyntax.of(null));
        assertEquals(Optional.of(TemplateSyntax.MD_WITH_MACROS), TemplateSyntax.of("md_with_macros"));
        assertEquals(Optional.empty(), TemplateSyntax.of("markdown"));
    }

    @Test
    void ttlMinutesRoundUpOnce() {
        assertEquals(5, TemplateVariables.ttlMinutes(300));
        assertEquals(2, TemplateVariables.ttlMinutes(90));
        assertEquals(1, TemplateVariables.ttlMinutes(30));
        assertEquals(60, TemplateVariables.ttlMinutes(3600));
        assertEquals(2, TemplateVariables.preview(Channel.SMS, "en", null, 6, 61).ttlMinutes());
        assertEquals(2, TemplateVariables.longest(Channel.SMS, "en", 6, 61).ttlMinutes());
    }
}
