package dev.latchkey.admin.console;

import static dev.latchkey.common.auth.ManagementScopes.READ_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CONNECTIONS;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.messaging.DeliveryOutcomes;
import dev.latchkey.admin.service.ConnectionService;
import dev.latchkey.admin.service.TemplateCheck;
import dev.latchkey.common.event.Channel;
import dev.latchkey.common.message.SmsSegments;

/**
 * The console's connection page: settings and templates, saved as the API's PATCH, the recent delivery outcomes, and
 * the live preview of a template being typed, rendered by the same engine that checks templates on save.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleConnectionsResource {

    private final ConnectionService connections;
    private final TemplateCheck templates;
    private final DeliveryOutcomes deliveries;
    private final ConsoleCaller caller;

    public ConsoleConnectionsResource(ConnectionService connections, TemplateCheck templates,
            DeliveryOutcomes deliveries, ConsoleCaller caller) {
        this.connections = connections;
        this.templates = templates;
        this.deliveries = deliveries;
        this.caller = caller;
    }

    @GET
    @Path("/connections/{name}")
    @RolesAllowed(READ_CONNECTIONS)
    public Uni<TemplateInstance> connection(@PathParam("name") String name, @RestQuery boolean saved) {
        return page(name, null, saved);
    }

    @POST
    @Path("/connections/{name}")
    @RolesAllowed(UPDATE_CONNECTIONS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> save(@PathParam("name") String name, MultivaluedMap<String, String> form) {
        return caller.save(form, ConsoleForms::connectionPatch, patch -> connections.update(name, patch),
                UriBuilder.fromPath("/console/connections/{name}").queryParam("saved", true).build(name),
                error -> page(name, error, false));
    }

    /** The live preview: renders what is being typed with sample values. Changes nothing. */
    @POST
    @Path("/preview")
    @RolesAllowed(READ_CONNECTIONS)
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Preview preview(PreviewRequest r) {
        var sample = new TemplateCheck.Sample(r.strategy(), r.language() == null || "default".equals(r.language())
                ? "en"
                : r.language(), null, r.codeLength() == null ? 6 : r.codeLength(),
                r.codeTtlS() == null ? 300 : r.codeTtlS());
        var body = templates.render(r.body(), sample);
        var subject = templates.render(r.subject(), sample);
        var html = templates.render(r.html(), sample);
        String error = body.error() != null
                ? "body: " + body.error()
                : subject.error() != null
                        ? "subject: " + subject.error()
                        : html.error() != null ? "html: " + html.error() : null;
        boolean sms = Channel.of(r.strategy()).orElse(null) == Channel.SMS;
        Integer segments = sms && body.ok() ? SmsSegments.count(body.text()) : null;
        return new Preview(subject.text(), body.text(), html.text(), segments, error);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PreviewRequest(String strategy, String language, String subject, String body, String html,
            Integer codeLength, Integer codeTtlS) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Preview(String subject, String body, String html, Integer segments, String error) {
    }

    private Uni<TemplateInstance> page(String name, String error, boolean saved) {
        var session = caller.session();
        return connections.get(name).map(c -> ConsolePages.connection(session, ConsoleViews.connectionForm(c),
                ConsoleViews.deliveryRows(deliveries.recent(name)), error, saved));
    }
}
