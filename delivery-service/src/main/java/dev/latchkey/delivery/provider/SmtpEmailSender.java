package dev.latchkey.delivery.provider;

import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;

import dev.latchkey.delivery.service.ProviderException;

/**
 * Sends email over SMTP, non-blocking: through the service's mailer (quarkus-mailer, {@code quarkus.mailer.*}), or
 * through a connection's own SMTP server when its config names one (a Vert.x mail client per server, kept). Each
 * message carries a Message-ID made from the event id, which is also the provider id in the status event.
 */
@ApplicationScoped
public class SmtpEmailSender {

    public static final String PROVIDER = "smtp";

    private final ReactiveMailer mailer;
    private final Vertx vertx;
    private final Map<Server, MailClient> servers = new ConcurrentHashMap<>();

    public SmtpEmailSender(ReactiveMailer mailer, Vertx vertx) {
        this.mailer = mailer;
        this.vertx = vertx;
    }

    public record Email(String from, String to, String subject, String text, String html, String eventId,
            String language) {
    }

    /**
     * A connection's own SMTP server. {@code tls}: implicit TLS on port 465, STARTTLS required on other ports;
     * without it STARTTLS is used when offered.
     */
    public record Server(String host, int port, String username, String password, boolean tls) {

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** @return the Message-ID */
    public Uni<String> send(Email email) {
        String messageId = messageId(email);
        Mail mail = new Mail().addTo(email.to()).setFrom(email.from()).setSubject(email.subject())
                .setText(email.text()).setHtml(email.html()).addHeader("Message-ID", messageId);
        if (email.language() != null && !email.language().isBlank()) {
            mail.addHeader("Content-Language", email.language());
        }
        return mailer.send(mail).replaceWith(messageId)
                .onFailure().transform(SmtpEmailSender::classify);
    }

    /** Through a connection's own server. */
    public Uni<String> send(Email email, Server server) {
        String messageId = messageId(email);
        MailMessage message = new MailMessage().setFrom(email.from()).setTo(email.to()).setSubject(email.subject())
                .setText(email.text()).setHtml(email.html()).addHeader("Message-ID", messageId);
        if (email.language() != null && !email.language().isBlank()) {
            message.addHeader("Content-Language", email.language());
        }
        return servers.computeIfAbsent(server, this::client).sendMail(message).replaceWith(messageId)
                .onFailure().transform(SmtpEmailSender::classify);
    }

    private MailClient client(Server s) {
        MailConfig config = new MailConfig().setHostname(s.host()).setPort(s.port()).setMaxPoolSize(8)
                .setKeepAlive(true);
        if (s.tls() && s.port() == 465) {
            config.setSsl(true);
        } else {
            config.setStarttls(s.tls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL);
        }
        if (s.username() != null && !s.username().isBlank()) {
            config.setUsername(s.username()).setPassword(s.password()).setLogin(LoginOption.REQUIRED);
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        return MailClient.create(vertx, config);
    }

    private static String messageId(Email email) {
        return "<" + email.eventId() + "@latchkey>";
    }

    @PreDestroy
    void close() {
        servers.values().forEach(MailClient::closeAndForget);
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
