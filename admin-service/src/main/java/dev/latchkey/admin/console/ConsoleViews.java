package dev.latchkey.admin.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.latchkey.admin.service.ClientView;
import dev.latchkey.admin.service.ConnectionView;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.event.DeliveryStatus;

/** What the console's pages show: small records made for the templates, apart from the API's bodies. */
public final class ConsoleViews {

    private ConsoleViews() {
    }

    /** The signed-in operator: the form CSRF value and what the token's scopes allow. */
    public record Session(String csrf, boolean readClients, boolean readConnections, boolean readUsers,
            boolean updateClients, boolean updateConnections, boolean updateUsers) {
    }

    public record ClientRow(String clientId, String name, String appType, String authMethod, String connections) {
    }

    public record ConnectionRow(String name, String strategy, boolean enabled, String provider) {
    }

    /** A checkbox. */
    public record Option(String value, boolean checked) {
    }

    public record ClientForm(String clientId, String name, String appType, String authMethod, String callbacks,
            String allowedOrigins, List<Option> connections, List<Option> grantTypes) {
    }

    public record ConnectionForm(String name, String strategy, boolean email, boolean enabled, int codeLength,
            int codeTtlS, int maxAttempts, boolean disableSignup, String defaultLanguage, String provider,
            List<TemplateForm> templates) {
    }

    /** One language's template; {@code id} is safe in an HTML id and a form field name. */
    public record TemplateForm(String lang, String id, String subject, String body, String html, boolean removable) {
    }

    public record DeliveryRow(String at, String status, String provider, String reason, String segments) {
    }

    public record UserRow(String userId, String identifier, boolean blocked, String logins, String lastLogin) {
    }

    static ClientRow row(ClientView c) {
        return new ClientRow(c.clientId(), c.name(), c.appType(), c.tokenEndpointAuthMethod(),
                String.join(", ", c.connections()));
    }

    static ConnectionRow row(ConnectionView c) {
        return new ConnectionRow(c.name(), c.strategy(), !Boolean.FALSE.equals(c.enabled()), provider(c));
    }

    /** The client page: every connection and grant type as a checkbox, ticked where the client has it. */
    static ClientForm clientForm(ClientView c, Collection<ConnectionView> connections, List<String> grantTypes) {
        List<Option> conns = connections.stream().map(n -> new Option(n.name(), c.connections().contains(n.name())))
                .toList();
        List<Option> grants = grantTypes.stream().map(g -> new Option(g, c.grantTypes().contains(g))).toList();
        return new ClientForm(c.clientId(), c.name(), c.appType(), c.tokenEndpointAuthMethod(),
                String.join("\n", c.callbacks()), String.join("\n", c.allowedOrigins()), conns, grants);
    }

    /** The connection page: {@code default} first, then the languages in order. */
    static ConnectionForm connectionForm(ConnectionView c) {
        List<TemplateForm> forms = new ArrayList<>();
        c.templates().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(
                (String k) -> !"default".equals(k)).thenComparing(k -> k)))
                .forEach(e -> forms.add(new TemplateForm(e.getKey(), e.getKey(), e.getValue().subject(),
                        e.getValue().body(), e.getValue().html(), !"default".equals(e.getKey()))));
        boolean email = Channel.of(c.strategy()).orElse(null) == Channel.EMAIL;
        return new ConnectionForm(c.name(), c.strategy(), email, !Boolean.FALSE.equals(c.enabled()), c.codeLength(),
                c.codeTtlS(), c.maxAttempts(), Boolean.TRUE.equals(c.disableSignup()), c.defaultLanguage(),
                provider(c), forms);
    }

    /** Newest first. */
    static List<DeliveryRow> deliveryRows(List<DeliveryStatus> recent) {
        return recent.stream()
                .sorted(Comparator.comparing((DeliveryStatus d) -> d.at() == null ? Instant.EPOCH : d.at()).reversed())
                .map(d -> new DeliveryRow(d.at() == null ? "" : d.at().toString(),
                        d.status() == null ? "" : d.status().wire(), d.provider(),
                        d.reason() == null ? "" : d.reason(), d.segments() == null ? "" : d.segments().toString()))
                .toList();
    }

    /** token-service's list of users (an array, or {@code {users: [...]}}). */
    static List<UserRow> userRows(JsonNode body) {
        JsonNode list = body.isArray() ? body : body.path("users");
        List<UserRow> rows = new ArrayList<>();
        for (JsonNode u : list) {
            String identifier = u.hasNonNull("phone_number")
                    ? u.get("phone_number").asText()
                    : u.path("email").asText("");
            rows.add(new UserRow(u.path("user_id").asText(), identifier, u.path("blocked").asBoolean(),
                    u.path("logins_count").asText(""), u.path("last_login").asText("")));
        }
        return rows;
    }

    static String provider(ConnectionView c) {
        if (c.sms() != null) {
            return "Twilio " + c.sms().twilioAccountSid() + (c.sms().from() != null
                    ? ", from " + c.sms().from()
                    : ", messaging service " + c.sms().messagingServiceSid());
        }
        if (c.email() != null) {
            return "SMTP, from " + c.email().from() + (c.email().smtp() == null
                    ? ""
                    : " via " + c.email().smtp().host() + ":" + c.email().smtp().port());
        }
        return Channel.of(c.strategy()).orElse(null) == Channel.SMS
                ? "no Twilio credentials: the local outbox"
                : "the configured mailer";
    }
}
