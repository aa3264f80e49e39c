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

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.recipient.Recipients;

/**
 * Sends email over SMTP, non-blocking: through the service's mailer (quarkus-mailer, {@code quarkus.mailer.*}), or
 * through a connection's own SMTP server when its step names one (a Vert.x mail client per server, kept). Each
 * message carries a Message-ID made from the event id, which is also the provider id in the status event.
 *
 * <p>
 * Step settings: {@code from}; for an own server {@code host}, {@code port}, {@code username}, {@code tls}
 * ({@code true}/{@code false}) and the secret {@code password}. An SMTP server cannot be asked whether it took a
 * message, so an event whose sender died during the call is sent again while its code is valid
 * ({@link CrashRecovery#RESEND}): the Message-ID is the same, and a second copy of a valid code is better than none.
 */
@ApplicationScoped
public class SmtpEmailSender implements Provider {

    public static final String PROVIDER = "smtp";
    public static final String FROM = "from";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String TLS = "tls";

    /** Authentication required / too weak / refused. */
    private static final java.util.Set<Integer> SENDER_REPLIES = java.util.Set.of(530, 534, 535);

    private final ReactiveMailer mailer;
    private final Vertx vertx;
    private final ProviderSecrets secrets;
    private final Map<Server, MailClient> servers = new ConcurrentHashMap<>();

    public SmtpEmailSender(ReactiveMailer mailer, Vertx vertx, ProviderSecrets secrets) {
        this.mailer = mailer;
        this.vertx = vertx;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return PROVIDER;
    }

    @Override
    public boolean serves(String channel) {
        return ConnectionConfig.EMAIL.equals(channel);
    }

    @Override
    public String problem(Step step) {
        return step.setting(FROM) == null ? "connection " + step.connection() + " has no From address" : null;
    }

    @Override
    public CrashRecovery crashRecovery() {
        return CrashRecovery.RESEND;
    }

    @Override
    public Uni<String> send(Step step, Outgoing message) {
        if (!Recipients.email(message.recipient()).map(message.recipient()::equals).orElse(false)) {
            // The rule otp-service's start checks (common's Recipients): the mailer would refuse this address, or
            // send to another one ("a<b@c.d>" goes to b@c.d). No server will take it: no retry, one log line.
            return Uni.createFrom().failure(new ProviderException(
                    "smtp: the recipient is not an address the mailer can send to as it is",
                    ProviderException.Kind.PERMANENT));
        }
        Email email = new Email(step.setting(FROM), message.recipient(), message.subject(), message.text(),
                message.html(), message.eventId(), message.language());
        String host = step.setting(HOST);
        if (host == null) {
            return send(email);
        }
        boolean tls = Boolean.parseBoolean(step.setting(TLS));
        String port = step.setting(PORT);
        return send(email, new Server(host, port != null ? Integer.parseInt(port) : tls ? 465 : 25,
                step.setting(USERNAME), secrets.open(step, PASSWORD, "the SMTP password"), tls));
    }

    record Email(String from, String to, String subject, String text, String html, String eventId,
            String language) {
    }

    /**
     * A connection's own SMTP server. {@code tls}: implicit TLS on port 465, STARTTLS required on other ports;
     * without it STARTTLS is used when offered.
     */
    record Server(String host, int port, String username, String password, boolean tls) {

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Through the service's mailer; the Message-ID is the provider id. */
    private Uni<String> send(Email email) {
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
    private Uni<String> send(Email email, Server server) {
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
                // 5xx: the server will not take this message; 4xx: try again later. Refused credentials are the
                // sender's (another step of the route may send it).
                String reason = "smtp " + smtp.getReplyCode() + " " + smtp.getReplyMessage();
                if (SENDER_REPLIES.contains(smtp.getReplyCode())) {
                    return new ProviderException(reason, ProviderException.Kind.SENDER);
                }
                return new ProviderException(reason, !smtp.isPermanent());
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
