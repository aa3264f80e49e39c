package dev.latchkey.token.api;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.config.LoginConfig;
import dev.latchkey.token.login.AuthorizationRules.Refused;
import dev.latchkey.token.login.AuthorizeRequests;
import dev.latchkey.token.login.AuthorizeRequests.LoginPage;
import dev.latchkey.token.login.CrossOriginLogins;
import dev.latchkey.token.login.LoginMessages;
import dev.latchkey.token.login.Outcome;
import dev.latchkey.token.login.Outcome.ErrorPage;
import dev.latchkey.token.login.Outcome.FormPost;
import dev.latchkey.token.login.Outcome.Redirect;
import dev.latchkey.token.login.Outcome.WebMessage;
import dev.latchkey.token.service.AuthError;

/**
 * {@code GET /authorize}: the hosted login page. The page itself talks to the same origin only:
 * {@code POST /passwordless/start} (otp-service), {@code POST /passwordless/verify} to check the code with words the
 * person can act on, then {@code GET /passwordless/verify_redirect}, which sends the browser to the app.
 */
@Path("/authorize")
public class AuthorizeResource {

    private static final Logger LOG = Logger.getLogger(AuthorizeResource.class);

    /** Countries offered by the phone picker: ISO code, calling code, name. A full number typed with + wins. */
    static final List<Country> COUNTRIES = List.of(
            new Country("US", "1", "United States"), new Country("CA", "1", "Canada"),
            new Country("GB", "44", "United Kingdom"), new Country("IE", "353", "Ireland"),
            new Country("FR", "33", "France"), new Country("DE", "49", "Germany"),
            new Country("ES", "34", "Spain"), new Country("IT", "39", "Italy"),
            new Country("PT", "351", "Portugal"), new Country("NL", "31", "Netherlands"),
            new Country("BE", "32", "Belgium"), new Country("CH", "41", "Switzerland"),
            new Country("AT", "43", "Austria"), new Country("SE", "46", "Sweden"),
            new Country("NO", "47", "Norway"), new Country("DK", "45", "Denmark"),
            new Country("FI", "358", "Finland"), new Country("PL", "48", "Poland"),
            new Country("MX", "52", "Mexico"), new Country("BR", "55", "Brazil"),
            new Country("AR", "54", "Argentina"), new Country("IN", "91", "India"),
            new Country("JP", "81", "Japan"), new Country("KR", "82", "South Korea"),
            new Country("CN", "86", "China"), new Country("SG", "65", "Singapore"),
            new Country("AU", "61", "Australia"), new Country("NZ", "64", "New Zealand"),
            new Country("ZA", "27", "South Africa"), new Country("NG", "234", "Nigeria"));

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthorizeRequests requests;
    private final LoginConfig config;
    private final ObjectMapper mapper;
    private final Template login;
    private final Template errorPage;
    private final Template formPost;
    private final CrossOriginLogins logins;
    private final WebMessagePage webMessage;

    public AuthorizeResource(AuthorizeRequests requests, LoginConfig config, ObjectMapper mapper,
            @Location("login.html") Template login, @Location("error.html") Template errorPage,
            @Location("form-post.html") Template formPost, CrossOriginLogins logins, WebMessagePage webMessage) {
        this.requests = requests;
        this.webMessage = webMessage;
        this.formPost = formPost;
        this.logins = logins;
        this.config = config;
        this.mapper = mapper;
        this.login = login;
        this.errorPage = errorPage;
    }

    /** One entry of the country picker. */
    public record Country(String iso, String dial, String name) {
    }

    /**
     * The login page; or, with {@code login_ticket} from {@code POST /co/authenticate} (auth0.js
     * {@code passwordlessLogin}), no page: the ticket is taken and the authorization completed at once.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> authorize(@Context UriInfo uri,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Map<String, String> q = new HashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                q.put(k, v.getFirst());
            }
        });
        return switch (requests.check(q)) {
            case Refused r -> Uni.createFrom().item(outcome(r.outcome()));
            case LoginPage p -> q.get("login_ticket") == null
                    ? Uni.createFrom().item(loginPage(p, q, acceptLanguage))
                    : logins.authorize(p.request(), q.get("login_ticket")).map(this::outcome)
                            .onFailure().recoverWithItem(this::failed);
        };
    }

    /**
     * A failure the authorization could not send back to the app (refusals go to its redirect_uri): a page for the
     * person in the browser, never the API's JSON.
     */
    private Response failed(Throwable e) {
        if (e instanceof AuthError a) {
            return outcome(new ErrorPage(a.status(), a.error(), a.description()));
        }
        LOG.errorf("authorize with a login ticket failed: %s", e.toString());
        return outcome(new ErrorPage(500, "server_error", "The login could not be completed. Try again."));
    }

    private Response outcome(Outcome outcome) {
        return switch (outcome) {
            case Redirect d -> Response.status(Response.Status.FOUND).location(URI.create(d.location()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
            case ErrorPage e -> page(e.status(), errorPage.data("error", e.error())
                    .data("description", e.description()).render(), null);
            case FormPost f -> PasswordlessResource.html(200,
                    formPost.data("action", f.action()).data("fields", f.fields()).render());
            case WebMessage w -> webMessage.render(w);
        };
    }

    private Response loginPage(LoginPage p, Map<String, String> q, String acceptLanguage) {
        String language = LoginMessages.language(q.get("ui_locales"), acceptLanguage, config.languages());
        String region = LoginMessages.region(q.get("ui_locales"), acceptLanguage);
        String country = COUNTRIES.stream().anyMatch(c -> c.iso().equals(region)) ? region : "US";
        String appName = p.client().name() == null || p.client().name().isBlank()
                ? p.client().clientId()
                : p.client().name();
        Map<String, String> text = LoginMessages.of(language);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("client_id", p.client().clientId());
        setup.put("connection", p.connection().name());
        setup.put("strategy", p.connection().strategy());
        setup.put("language", language);
        setup.put("resend_seconds", config.resendInterval().toSeconds());
        setup.put("auth_params", p.authParams());
        setup.put("text", text);
        Map<String, String> switchTo = new LinkedHashMap<>();
        for (String other : p.otherConnections()) {
            switchTo.put(other, uriWith(q, "connection", other));
        }
        String nonce = nonce();
        String html = login.data("lang", language).data("title", text.get("title").replace("{app}", appName))
                .data("t", text).data("sms", ConnectionConfig.SMS.equals(p.connection().strategy()))
                .data("countries", COUNTRIES).data("country", country).data("switchTo", switchTo)
                .data("setup", json(setup)).data("nonce", nonce).render();
        return page(200, html, nonce);
    }

    private static String uriWith(Map<String, String> q, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(q);
        m.put(key, value);
        StringBuilder b = new StringBuilder("/authorize?");
        m.forEach((k, v) -> b.append(b.length() > 11 ? "&" : "").append(enc(k)).append('=').append(enc(v)));
        return b.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private String json(Object o) {
        try {
            // Inside <script>: no "</script>" or "<!--" can be formed from the data.
            return mapper.writeValueAsString(o).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("login page setup is not serialisable", e);
        }
    }

    private static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static Response page(int status, String body, String scriptNonce) {
        String scripts = scriptNonce == null ? "'none'" : "'nonce-" + scriptNonce + "'";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src "
                        + scripts + "; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .entity(body).build();
    }
}
