package dev.latchkey.admin.console;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.latchkey.admin.console.ConsoleViews.ClientForm;
import dev.latchkey.admin.console.ConsoleViews.ClientRow;
import dev.latchkey.admin.console.ConsoleViews.ConnectionForm;
import dev.latchkey.admin.console.ConsoleViews.ConnectionRow;
import dev.latchkey.admin.console.ConsoleViews.DeliveryRow;
import dev.latchkey.admin.console.ConsoleViews.Session;
import dev.latchkey.admin.console.ConsoleViews.UserRow;

/** The console's pages, {@code templates/console/<page>.html} (Qute, checked at build time). */
@CheckedTemplate(basePath = "console")
final class ConsolePages {

    private ConsolePages() {
    }

    static native TemplateInstance login(String error, String tokenUrl, String audience);

    static native TemplateInstance overview(Session session, List<ClientRow> clients, List<ConnectionRow> connections);

    static native TemplateInstance client(Session session, ClientForm client, String error, boolean saved);

    static native TemplateInstance connection(Session session, ConnectionForm connection, List<DeliveryRow> deliveries,
            String error, boolean saved);

    static native TemplateInstance users(Session session, List<UserRow> users, String q, String connection,
            String previous, String next, String error);
}
