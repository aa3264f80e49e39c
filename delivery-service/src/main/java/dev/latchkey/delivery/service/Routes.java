package dev.latchkey.delivery.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.config.ConnectionConfig.SmsSettings;
import dev.latchkey.common.event.Channel;
import dev.latchkey.delivery.provider.OutboxSmsSender;
import dev.latchkey.delivery.provider.SmtpEmailSender;
import dev.latchkey.delivery.provider.Step;
import dev.latchkey.delivery.provider.Step.Sealed;
import dev.latchkey.delivery.provider.TwilioSmsSender;

/**
 * A connection's delivery route: the ordered steps that may send its messages. Derived from the connection's own
 * settings: an SMS connection with Twilio credentials sends through Twilio, its {@code source} (Messaging Service or
 * From number) first and, when the connection names both, the other one next; one without credentials through the
 * local outbox; an email connection through SMTP (its own server, else the service's mailer), From its own address
 * or the service's. Pure: the table-driven {@code RoutesTest} covers it.
 */
public final class Routes {

    private Routes() {
    }

    /** The Twilio auth token's encryption context for a connection. */
    public static String authTokenContext(String connection) {
        return "connection:" + connection + ":twilio_auth_token";
    }

    /** The SMTP password's encryption context for a connection's own SMTP server. */
    public static String smtpPasswordContext(String connection) {
        return "connection:" + connection + ":smtp_password";
    }

    /**
     * @param defaultFrom the From address of email connections that name none
     * @return the route's steps, first to try first; never empty
     */
    public static List<Step> of(ConnectionConfig connection, String defaultFrom) {
        return connection.channel() == Channel.SMS
                ? sms(connection)
                : List.of(email(connection, defaultFrom));
    }

    private static List<Step> sms(ConnectionConfig connection) {
        SmsSettings s = connection.sms();
        if (s == null || blank(s.twilioAccountSid()) || blank(s.twilioAuthTokenEnc())) {
            return List.of(new Step(connection.name(), 0, OutboxSmsSender.PROVIDER, Map.of(), Map.of(), null, null));
        }
        boolean fromFirst = SmsSettings.SOURCE_FROM.equals(s.source());
        List<Step> route = new ArrayList<>();
        route.add(twilio(connection, s, 0, fromFirst));
        if (!blank(fromFirst ? s.messagingServiceSid() : s.from())) {
            route.add(twilio(connection, s, 1, !fromFirst));
        }
        return List.copyOf(route);
    }

    private static Step twilio(ConnectionConfig connection, SmsSettings s, int index, boolean from) {
        Map<String, String> settings = new HashMap<>();
        settings.put(TwilioSmsSender.ACCOUNT_SID, s.twilioAccountSid());
        if (from) {
            settings.put(TwilioSmsSender.FROM, nz(s.from()));
        } else {
            settings.put(TwilioSmsSender.MESSAGING_SERVICE_SID, nz(s.messagingServiceSid()));
        }
        return new Step(connection.name(), index, TwilioSmsSender.PROVIDER, settings,
                Map.of(TwilioSmsSender.AUTH_TOKEN, new Sealed(s.twilioAuthTokenEnc(),
                        authTokenContext(connection.name()))),
                null, null);
    }

    private static Step email(ConnectionConfig connection, String defaultFrom) {
        ConnectionConfig.EmailSettings e = connection.email();
        Map<String, String> settings = new HashMap<>();
        settings.put(SmtpEmailSender.FROM, e != null && !blank(e.from()) ? e.from() : nz(defaultFrom));
        Map<String, Sealed> secrets = new HashMap<>();
        ConnectionConfig.Smtp own = e == null ? null : e.smtp();
        if (own != null && !blank(own.host())) {
            settings.put(SmtpEmailSender.HOST, own.host());
            if (own.port() != null) {
                settings.put(SmtpEmailSender.PORT, own.port().toString());
            }
            settings.put(SmtpEmailSender.USERNAME, nz(own.username()));
            settings.put(SmtpEmailSender.TLS, Boolean.toString(Boolean.TRUE.equals(own.tls())));
            if (!blank(own.passwordEnc())) {
                secrets.put(SmtpEmailSender.PASSWORD, new Sealed(own.passwordEnc(),
                        smtpPasswordContext(connection.name())));
            }
        }
        return new Step(connection.name(), 0, SmtpEmailSender.PROVIDER, settings, secrets, null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
