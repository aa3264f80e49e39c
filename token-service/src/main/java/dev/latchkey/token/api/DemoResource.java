package dev.latchkey.token.api;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import dev.latchkey.token.config.LoginConfig;

/**
 * A demo "regular web app" served by the suite itself, so the whole login can be tried on one origin: a Login button
 * that sends the browser to {@code /authorize} (authorization code + PKCE, state, nonce), and a callback that
 * exchanges the code server-side at {@code /oauth/token} and shows the ID token's claims. Not an API of the product:
 * {@code latchkey.login.demo-enabled=false} removes it.
 */
@Path("/demo")
public class DemoResource {

    private static final Logger LOG = Logger.getLogger(DemoResource.class);
    private static final String COOKIE = "latchkey_demo";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LoginConfig config;
    private final ObjectMapper mapper;
    private final Template demo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoResource(LoginConfig config, ObjectMapper mapper, @Location("demo.html") Template demo) {
        this.config = config;
        this.mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.demo = demo;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response home(@QueryParam("client_id") String clientId) {
        if (!config.demoEnabled()) {
            return Response.status(404).build();
        }
        String id = clientId(clientId);
        return html(200, demo.data("clientId", id).data("loginQuery", "client_id=" + enc(id)).data("claims", null)
                .data("error", null).render());
    }

    /** Starts a login: fresh state, nonce and PKCE verifier kept in an HttpOnly cookie, then off to /authorize. */
    @GET
    @Path("login")
    public Response login(@QueryParam("client_id") String clientId, @QueryParam("connection") String connection,
            @Context UriInfo uri) {
        if (!config.demoEnabled()) {
            return Response.status(404).build();
        }
        String state = random();
        String nonce = random();
        String verifier = random() + random();
        String callback = callback(uri);
        String id = clientId(clientId);
        StringBuilder target = new StringBuilder("/authorize?response_type=code")
                .append("&client_id=").append(enc(id))
                .append("&redirect_uri=").append(enc(callback))
                .append("&scope=").append(enc("openid profile email phone"))
                .append("&state=").append(state).append("&nonce=").append(nonce)
                .append("&code_challenge=").append(challenge(verifier)).append("&code_challenge_method=S256");
        if (connection != null && connection.matches("[A-Za-z0-9_-]{1,64}")) {
            target.append("&connection=").append(connection);
        }
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(state + "." + nonce + "." + verifier + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8)))
                .path("/demo")
                .httpOnly(true).sameSite(NewCookie.SameSite.LAX).maxAge(600).build();
        return Response.status(Response.Status.FOUND).location(URI.create(target.toString())).cookie(cookie)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /** The app's callback: checks state, exchanges the code at /oauth/token (server to server), shows the claims. */
    @GET
    @Path("callback")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String description,
            @CookieParam(COOKIE) String cookie, @Context UriInfo uri, HttpServerRequest request) {
        if (!config.demoEnabled()) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        if (error != null) {
            return Uni.createFrom().item(failed(error + ": " + (description == null ? "" : description)));
        }
        String[] tx = cookie == null ? new String[0] : cookie.split("\\.");
        if (tx.length != 4 || state == null || !MessageDigest.isEqual(tx[0].getBytes(StandardCharsets.UTF_8),
                state.getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().item(failed("The state does not match this browser's login. Start again."));
        }
        if (code == null) {
            return Uni.createFrom().item(failed("The callback carries no code."));
        }
        String id = new String(Base64.getUrlDecoder().decode(tx[3]), StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&client_id=" + enc(id) + "&code=" + enc(code)
                + "&redirect_uri=" + enc(callback(uri)) + "&code_verifier=" + enc(tx[2]);
        // Server to server, on this service's own listener (the app's back channel to the token endpoint).
        URI tokenEndpoint = URI.create("http://127.0.0.1:" + request.localAddress().port() + "/oauth/token");
        HttpRequest exchange = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(exchange, HttpResponse.BodyHandlers.ofString()))
                .map(r -> shown(r, tx[1], id))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("demo: token endpoint unreachable: %s", e.toString());
                    return failed("The token endpoint could not be reached.");
                });
    }

    private Response shown(HttpResponse<String> r, String nonce, String clientId) {
        try {
            Map<String, Object> body = mapper.readValue(r.body(), new TypeReference<Map<String, Object>>() {
            });
            if (r.statusCode() != 200 || !(body.get("id_token") instanceof String idToken)) {
                return failed("The token endpoint said " + r.statusCode() + ": " + body.get("error") + " "
                        + body.getOrDefault("error_description", ""));
            }
            String[] parts = idToken.split("\\.");
            Map<String, Object> claims = mapper.readValue(Base64.getUrlDecoder().decode(parts[1]),
                    new TypeReference<LinkedHashMap<String, Object>>() {
                    });
            if (!nonce.equals(claims.get("nonce"))) {
                return failed("The ID token's nonce does not match this login.");
            }
            NewCookie gone = new NewCookie.Builder(COOKIE).value("").path("/demo").maxAge(0).build();
            return Response.fromResponse(html(200, demo.data("clientId", clientId).data("loginQuery", "")
                    .data("claims", mapper.writeValueAsString(claims)).data("error", null).render())).cookie(gone)
                    .build();
        } catch (Exception e) {
            return failed("The token endpoint's answer could not be read.");
        }
    }

    private Response failed(String message) {
        return html(400, demo.data("clientId", config.demoClientId()).data("loginQuery", "")
                .data("claims", null).data("error", message).render());
    }

    /** The configured demo client, or another public client given as {@code client_id} (to try one's own app). */
    private String clientId(String asked) {
        return asked != null && asked.matches("[A-Za-z0-9_.:-]{1,128}") ? asked : config.demoClientId();
    }

    private static String callback(UriInfo uri) {
        return uri.getBaseUriBuilder().replacePath("/demo/callback").replaceQuery(null).build().toString();
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String challenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Response html(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .entity(body).build();
    }
}
