package dev.latchkey.admin.console;

import java.util.List;

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
}
