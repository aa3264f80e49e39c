package dev.latchkey.admin.console;

import static dev.latchkey.common.auth.ManagementScopes.READ_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.READ_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.READ_USERS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CLIENTS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_CONNECTIONS;
import static dev.latchkey.common.auth.ManagementScopes.UPDATE_USERS;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
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

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.api.ClientResponse;
import dev.latchkey.admin.api.ConnectionResponse;
import dev.latchkey.admin.api.Page;
import dev.latchkey.admin.config.AdminConfig;
import dev.latchkey.admin.console.ConsoleViews.ClientForm;
import dev.latchkey.admin.console.ConsoleViews.ClientRow;
import dev.latchkey.admin.console.ConsoleViews.ConnectionForm;
import dev.latchkey.admin.console.ConsoleViews.ConnectionRow;
import dev.latchkey.admin.console.ConsoleViews.DeliveryRow;
import dev.latchkey.admin.console.ConsoleViews.Option;
import dev.latchkey.admin.console.ConsoleViews.Session;
import dev.latchkey.admin.console.ConsoleViews.TemplateForm;
import dev.latchkey.admin.console.ConsoleViews.UserRow;
import dev.latchkey.admin.messaging.DeliveryOutcomes;
import dev.latchkey.admin.provider.TokenServiceGateway;
import dev.latchkey.admin.service.ClientService;
import dev.latchkey.admin.service.ConnectionService;
import dev.latchkey.admin.service.ManagementException;
import dev.latchkey.admin.service.TemplateCheck;
import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.event.DeliveryStatus;
import dev.latchkey.common.message.SmsSegments;

/**
 * The operator console: server-rendered pages (Qute) over the same services as the Management API, signed in with a
 * Management API token (kept in an HttpOnly cookie for /console). Each page needs the scope its API call would.
 * Template editing has a live preview rendered by the same Liquid engine that checks templates on save.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    private static final List<String> GRANT_TYPES = List.of("authorization_code", "implicit", "refresh_token",
            "client_credentials", "http://auth0.com/oauth/grant-type/passwordless/otp");
    private static final int USERS_PER_PAGE = 50;

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance login(String error, String tokenUrl, String audience);

        static native TemplateInstance overview(Session session, List<ClientRow> clients,
                List<ConnectionRow> connections);

        static native TemplateInstance client(Session session, ClientForm client, String error, boolean saved);

        static native TemplateInstance connection(Session session, ConnectionForm connection,
                List<DeliveryRow> deliveries, String error, boolean saved);

        static native TemplateInstance users(Session session, List<UserRow> users, String q, String connection,
                String previous, String next, String error);
    }

    private final ClientService clients;
    private final ConnectionService connections;
    private final TokenServiceGateway tokenService;
    private final TemplateCheck templates;
    private final DeliveryOutcomes deliveries;
    private final JWTParser parser;
    private final JsonWebToken caller;
    private final SecurityIdentity identity;
    private final AuthConfig auth;
    private final AdminConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ConsoleResource(ClientService clients, ConnectionService connections, TokenServiceGateway tokenService,
            TemplateCheck templates, DeliveryOutcomes deliveries, JWTParser parser, JsonWebToken caller,
            SecurityIdentity identity, AuthConfig auth, AdminConfig config, ObjectMapper mapper, Clock clock) {
        this.clients = clients;
        this.connections = connections;
        this.tokenService = tokenService;
        this.templates = templates;
        this.deliveries = deliveries;
        this.parser = parser;
        this.caller = caller;
        this.identity = identity;
        this.auth = auth;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    // ---- sign in / out -------------------------------------------------------------------------------------------

    @GET
    @Path("/login")
    @PermitAll
    public TemplateInstance loginPage() {
        return login(null);
    }

    /** Checks the token like any API call would (signature, issuer, audience, expiry) before keeping it. */
    @POST
    @Path("/login")
    @PermitAll
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@RestForm String token) {
        String raw = token == null ? "" : token.strip().replaceFirst("^(?i)bearer\\s+", "");
        try {
            JsonWebToken jwt = parser.parse(raw);
            long maxAge = jwt.getExpirationTime() - clock.instant().getEpochSecond();
            return Response.seeOther(URI.create("/console"))
                    .cookie(ConsoleSession.cookie(raw, maxAge, config.console().secureCookie())).build();
        } catch (ParseException e) {
            return Response.status(401).entity(login("That token is not accepted: it is expired, malformed, or not "
                    + "a Management API token of this tenant.")).build();
        }
    }

    @POST
    @Path("/logout")
    @PermitAll
    public Response signOut() {
        return Response.seeOther(URI.create("/console/login"))
                .cookie(ConsoleSession.cleared(config.console().secureCookie())).build();
    }

    // ---- overview ------------------------------------------------------------------------------------------------

    @GET
    @Authenticated
    public Uni<TemplateInstance> overview() {
        Session s = session();
        Uni<List<ClientRow>> clientRows = s.readClients()
                ? clients.list(0, 100).map(p -> p.items().stream().map(ConsoleResource::row).toList())
                : Uni.createFrom().item(List.of());
        return clientRows.flatMap(c -> (s.readConnections()
                ? connections.list(null, 0, 100).map(Page::items)
                : Uni.createFrom().item(List.<ConnectionResponse>of()))
                .map(n -> Templates.overview(s, c, n.stream().map(ConsoleResource::row).toList())));
    }

    // ---- clients -------------------------------------------------------------------------------------------------

    @GET
    @Path("/clients/{id}")
    @RolesAllowed(READ_CLIENTS)
    public Uni<TemplateInstance> client(@PathParam("id") String id, @RestQuery boolean saved) {
        return clientPage(id, null, saved);
    }

    @POST
    @Path("/clients/{id}")
    @RolesAllowed(UPDATE_CLIENTS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> saveClient(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        checkCsrf(form.getFirst("csrf"));
        ObjectNode patch = mapper.createObjectNode();
        patch.put("name", form.getFirst("name"));
        patch.set("callbacks", lines(form.getFirst("callbacks")));
        patch.set("allowed_origins", lines(form.getFirst("allowed_origins")));
        patch.set("connections", array(form.get("connections")));
        patch.set("grant_types", array(form.get("grant_types")));
        return clients.update(id, patch)
                .map(c -> Response.seeOther(UriBuilder.fromPath("/console/clients/{id}").queryParam("saved", true)
                        .build(id)).build())
                .onFailure(ManagementException.class).recoverWithUni(e -> clientPage(id, e.getMessage(), false)
                        .map(page -> Response.status(((ManagementException) e).kind().status).entity(page).build()));
    }

    private Uni<TemplateInstance> clientPage(String id, String error, boolean saved) {
        Session s = session();
        return clients.get(id).flatMap(c -> connections.list(null, 0, 100).map(all -> {
            List<Option> conns = all.items().stream().map(n -> new Option(n.name(), c.connections().contains(n.name())))
                    .toList();
            List<Option> grants = GRANT_TYPES.stream().map(g -> new Option(g, c.grantTypes().contains(g))).toList();
            ClientForm form = new ClientForm(c.clientId(), c.name(), c.appType(), c.tokenEndpointAuthMethod(),
                    String.join("\n", c.callbacks()), String.join("\n", c.allowedOrigins()), conns, grants);
            return Templates.client(s, form, error, saved);
        }));
    }

    // ---- connections ---------------------------------------------------------------------------------------------

    @GET
    @Path("/connections/{name}")
    @RolesAllowed(READ_CONNECTIONS)
    public Uni<TemplateInstance> connection(@PathParam("name") String name, @RestQuery boolean saved) {
        return connectionPage(name, null, saved);
    }

    @POST
    @Path("/connections/{name}")
    @RolesAllowed(UPDATE_CONNECTIONS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> saveConnection(@PathParam("name") String name, MultivaluedMap<String, String> form) {
        checkCsrf(form.getFirst("csrf"));
        return Uni.createFrom().item(() -> connectionPatch(form))
                .chain(patch -> connections.update(name, patch))
                .map(c -> Response.seeOther(UriBuilder.fromPath("/console/connections/{name}")
                        .queryParam("saved", true).build(name)).build())
                .onFailure(ManagementException.class).recoverWithUni(e -> connectionPage(name, e.getMessage(), false)
                        .map(page -> Response.status(((ManagementException) e).kind().status).entity(page).build()));
    }

    /** The form as a merge patch; a removed language is a null, an empty html part is removed. */
    private ObjectNode connectionPatch(MultivaluedMap<String, String> form) {
        boolean email = "email".equals(form.getFirst("strategy"));
        ObjectNode patch = mapper.createObjectNode();
        number(patch, "code_length", form.getFirst("code_length"));
        number(patch, "code_ttl_s", form.getFirst("code_ttl_s"));
        number(patch, "max_attempts", form.getFirst("max_attempts"));
        patch.put("disable_signup", form.containsKey("disable_signup"));
        patch.put("enabled", form.containsKey("enabled"));
        ObjectNode tpl = patch.putObject("templates");
        for (String key : form.keySet()) {
            if (!key.startsWith("body.") || key.equals("body.__new")) {
                continue;
            }
            String lang = key.substring("body.".length());
            if (form.containsKey("remove." + lang) && !"default".equals(lang)) {
                tpl.putNull(lang);
            } else {
                tpl.set(lang, template(form, lang, email));
            }
        }
        String added = form.getFirst("new_language");
        if (added != null && !added.isBlank()) {
            tpl.set(added.strip(), template(form, "__new", email));
        }
        return patch;
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
        Integer segments = "sms".equals(r.strategy()) && body.ok() ? SmsSegments.count(body.text()) : null;
        return new Preview(subject.text(), body.text(), html.text(), segments, error);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PreviewRequest(String strategy, String language, String subject, String body, String html,
            Integer codeLength, Integer codeTtlS) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Preview(String subject, String body, String html, Integer segments, String error) {
    }

    private Uni<TemplateInstance> connectionPage(String name, String error, boolean saved) {
        Session s = session();
        return connections.get(name).map(c -> {
            boolean email = "email".equals(c.strategy());
            List<TemplateForm> forms = new ArrayList<>();
            c.templates().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(
                    (String k) -> !"default".equals(k)).thenComparing(k -> k)))
                    .forEach(e -> forms.add(new TemplateForm(e.getKey(), e.getKey(), e.getValue().subject(),
                            e.getValue().body(), e.getValue().html(), !"default".equals(e.getKey()))));
            ConnectionForm form = new ConnectionForm(c.name(), c.strategy(), email, !Boolean.FALSE.equals(c.enabled()),
                    c.codeLength(), c.codeTtlS(), c.maxAttempts(), Boolean.TRUE.equals(c.disableSignup()),
                    c.defaultLanguage(), provider(c), forms);
            List<DeliveryRow> recent = deliveries.recent(name).stream()
                    .sorted(Comparator.comparing((DeliveryStatus d) -> d.at() == null ? Instant.EPOCH : d.at())
                            .reversed())
                    .map(d -> new DeliveryRow(d.at() == null ? "" : d.at().toString(), d.status(), d.provider(),
                            d.reason() == null ? "" : d.reason(), d.segments() == null ? "" : d.segments().toString()))
                    .toList();
            return Templates.connection(s, form, recent, error, saved);
        });
    }

    // ---- users ---------------------------------------------------------------------------------------------------

    @GET
    @Path("/users")
    @RolesAllowed(READ_USERS)
    public Uni<TemplateInstance> users(@RestQuery String q, @RestQuery String connection, @RestQuery int page) {
        Session s = session();
        int p = Math.max(0, page);
        return tokenService.listUsers(caller.getRawToken(), blankToNull(connection), null, blankToNull(q), p,
                USERS_PER_PAGE)
                .map(body -> {
                    JsonNode list = body.isArray() ? body : body.path("users");
                    List<UserRow> rows = new ArrayList<>();
                    for (JsonNode u : list) {
                        String identifier = u.hasNonNull("phone_number")
                                ? u.get("phone_number").asText()
                                : u.path("email").asText("");
                        rows.add(new UserRow(u.path("user_id").asText(), identifier, u.path("blocked").asBoolean(),
                                u.path("logins_count").asText(""), u.path("last_login").asText("")));
                    }
                    long total = body.path("total").asLong(rows.size());
                    boolean more = (long) (p + 1) * USERS_PER_PAGE < total;
                    return Templates.users(s, rows, q, connection, p > 0 ? usersLink(q, connection, p - 1) : null,
                            more ? usersLink(q, connection, p + 1) : null, null);
                })
                .onFailure(ManagementException.class).recoverWithItem(
                        e -> Templates.users(s, List.of(), q, connection, null, null, e.getMessage()));
    }

    private static String usersLink(String q, String connection, int page) {
        return UriBuilder.fromPath("/console/users").queryParam("q", q == null ? "" : q)
                .queryParam("connection", connection == null ? "" : connection).queryParam("page", page).build()
                .toString();
    }

    @POST
    @Path("/users/block")
    @RolesAllowed(UPDATE_USERS)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> block(MultivaluedMap<String, String> form) {
        checkCsrf(form.getFirst("csrf"));
        boolean blocked = "true".equals(form.getFirst("blocked"));
        URI back = UriBuilder.fromPath("/console/users")
                .queryParam("q", form.getFirst("q") == null ? "" : form.getFirst("q"))
                .queryParam("connection", form.getFirst("connection") == null ? "" : form.getFirst("connection"))
                .build();
        return tokenService.setBlocked(caller.getRawToken(), form.getFirst("user_id"), blocked)
                .map(u -> Response.seeOther(back).build());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private TemplateInstance login(String error) {
        return Templates.login(error, auth.issuerWithSlash() + "oauth/token", auth.managementApiAudience());
    }

    private Session session() {
        return new Session(ConsoleSession.csrf(caller.getRawToken()), identity.hasRole(READ_CLIENTS),
                identity.hasRole(READ_CONNECTIONS), identity.hasRole(READ_USERS), identity.hasRole(UPDATE_CLIENTS),
                identity.hasRole(UPDATE_CONNECTIONS), identity.hasRole(UPDATE_USERS));
    }

    private void checkCsrf(String presented) {
        if (!ConsoleSession.csrfMatches(caller.getRawToken(), presented)) {
            throw new ForbiddenException("CSRF check failed");
        }
    }

    private ObjectNode template(MultivaluedMap<String, String> form, String lang, boolean email) {
        ObjectNode t = mapper.createObjectNode();
        t.put("body", crlf(form.getFirst("body." + lang)));
        if (email) {
            t.put("subject", crlf(form.getFirst("subject." + lang)));
            String html = crlf(form.getFirst("html." + lang));
            if (html == null || html.isBlank()) {
                t.putNull("html");
            } else {
                t.put("html", html);
            }
        }
        return t;
    }

    /** Browsers send textarea line breaks as CRLF. */
    private static String crlf(String s) {
        return s == null ? null : s.replace("\r\n", "\n");
    }

    private ArrayNode lines(String text) {
        ArrayNode a = mapper.createArrayNode();
        if (text != null) {
            Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).forEach(a::add);
        }
        return a;
    }

    private ArrayNode array(List<String> values) {
        ArrayNode a = mapper.createArrayNode();
        if (values != null) {
            values.forEach(a::add);
        }
        return a;
    }

    private static void number(ObjectNode patch, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            patch.put(field, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw ManagementException.invalidBody(field + " must be a whole number");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String provider(ConnectionResponse c) {
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
        return "sms".equals(c.strategy()) ? "no Twilio credentials: the local outbox" : "the configured mailer";
    }

    private static ClientRow row(ClientResponse c) {
        return new ClientRow(c.clientId(), c.name(), c.appType(), c.tokenEndpointAuthMethod(),
                c.connections().stream().collect(Collectors.joining(", ")));
    }

    private static ConnectionRow row(ConnectionResponse c) {
        return new ConnectionRow(c.name(), c.strategy(), !Boolean.FALSE.equals(c.enabled()), provider(c));
    }

}
