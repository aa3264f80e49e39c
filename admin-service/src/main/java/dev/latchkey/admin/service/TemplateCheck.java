package dev.latchkey.admin.service;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.event.Channel;
import dev.latchkey.common.message.MessageTemplates;
import dev.latchkey.common.message.TemplateSyntax;
import dev.latchkey.common.message.TemplateVariables;

/**
 * admin-service's use of the message-template engine delivery-service renders with ({@link MessageTemplates}): a
 * template is checked before it is stored, with the longest values a delivery can carry, so a stored template never
 * fails a delivery; the console's preview shows it with sample values and the same verdict.
 */
@ApplicationScoped
public class TemplateCheck {

    private final MessageTemplates engine = new MessageTemplates();

    /** What a template is checked and previewed for: the connection's channel, code length and lifetime. */
    public record Sample(String strategy, String language, String applicationName, int codeLength, int ttlSeconds) {

        Channel channel() {
            return Channel.of(strategy).orElse(Channel.EMAIL);
        }

        String languageOrEn() {
            return language == null ? "en" : language;
        }
    }

    /** The outcome of rendering one template: the text, or the engine's message saying what is wrong. */
    public record Rendered(String text, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Checks a Liquid template.
     *
     * @throws ManagementException (400) naming {@code field} and carrying the engine's message when a delivery would
     *         not render it
     */
    public void check(String field, String source, Sample sample) {
        Rendered r = render(source, sample);
        if (!r.ok()) {
            throw ManagementException.invalidBody("template " + field + " is not valid Liquid: " + r.error());
        }
    }

    /** Renders a Liquid template with the sample's values; its error is the check's verdict. */
    public Rendered render(String source, Sample sample) {
        if (source == null) {
            return new Rendered("", null);
        }
        var problem = engine.problem(source, TemplateSyntax.LIQUID, sample.channel(), sample.languageOrEn(),
                sample.codeLength(), sample.ttlSeconds());
        if (problem.isPresent()) {
            return new Rendered(null, problem.get());
        }
        return new Rendered(engine.render(source, TemplateSyntax.LIQUID, TemplateVariables.preview(sample.channel(),
                sample.languageOrEn(), sample.applicationName(), sample.codeLength(), sample.ttlSeconds())), null);
    }
}
