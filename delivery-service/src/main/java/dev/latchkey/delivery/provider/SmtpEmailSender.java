package dev.latchkey.delivery.provider;

import java.net.ConnectException;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;

import dev.latchkey.delivery.service.ProviderException;

/**
 * Sends email through the configured SMTP server (quarkus-mailer, non-blocking). Each message carries a Message-ID
 * made from the event id, which is also the provider id in the status event.
 */
@ApplicationScoped
public class SmtpEmailSender {

    public static final String PROVIDER = "smtp";

    private final ReactiveMailer mailer;

    public SmtpEmailSender(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    public record Email(String from, String to, String subject, String text, String html, String eventId,
            String language) {
    }

    /** @return the Message-ID */
    public Uni<String> send(Email email) {
        String messageId = "<" + email.eventId() + "@latchkey>";
        Mail mail = new Mail().addTo(email.to()).setFrom(email.from()).setSubject(email.subject())
                .setText(email.text()).setHtml(email.html()).addHeader("Message-ID", messageId);
        if (email.language() != null && !email.language().isBlank()) {
            mail.addHeader("Content-Language", email.language());
        }
        return mailer.send(mail).replaceWith(messageId)
                .onFailure().transform(SmtpEmailSender::classify);
    }

    static ProviderException classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SMTPException smtp) {
                // 5xx: the server will not take this message; 4xx: try again later.
                return new ProviderException("smtp " + smtp.getReplyCode() + " " + smtp.getReplyMessage(),
                        !smtp.isPermanent());
            }
            if (t instanceof IllegalArgumentException) {
                // A malformed address or header: no server will take it.
                return new ProviderException("smtp: message refused before sending: " + t.getMessage(), false);
            }
            if (t instanceof ConnectException) {
                return new ProviderException("smtp server unreachable: " + t.getMessage(), true);
            }
            if (t == t.getCause()) {
                break;
            }
        }
        String m = failure.getMessage();
        // Anything else (a dropped connection, a timeout, a TLS hiccup) is worth another try.
        return new ProviderException("smtp: " + (m == null ? failure.getClass().getSimpleName() : m), true);
    }
}
