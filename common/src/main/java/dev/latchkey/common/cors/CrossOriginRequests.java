package dev.latchkey.common.cors;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;

/**
 * CORS for the endpoints auth0.js calls from an app's own origin, decided per client as Auth0 does: an origin may call
 * {@link #CLIENT_PATHS} when it is in the {@code allowed_origins} of the client named in the request. Discovery, the
 * JWKS and {@code /userinfo} ({@link #PUBLIC_PATHS}) hold nothing a cookie unlocks, so any origin may read them,
 * without credentials.
 *
 * <p>
 * A preflight carries no body, so it cannot name a client: it is answered (204) when <em>some</em> client lists the
 * origin, and refused (403, no {@code Access-Control-Allow-Origin}) otherwise. The actual request then has to pass
 * {@link #admit} against its own client before anything is done; only then does its response carry
 * {@code Access-Control-Allow-Origin} (with credentials, for {@code /co/authenticate}'s cookie). An origin listed by
 * client A therefore learns nothing and changes nothing through client B.
 *
 * <p>
 * A request whose {@code Origin} is the service's own (same {@code Host}, as the hosted login page and the demo send
 * it) is not cross-origin and passes untouched. The scheme is not compared: TLS usually ends before the service.
 */
@ApplicationScoped
public class CrossOriginRequests {

    /** Endpoints an app calls with its client id; the client's {@code allowed_origins} decide. */
    public static final Set<String> CLIENT_PATHS = Set.of("/passwordless/start", "/passwordless/verify",
            "/oauth/token", "/co/authenticate");
    /** Endpoints any origin may read (no credentials): {@code /userinfo} and everything under these prefixes. */
    public static final Set<String> PUBLIC_PATHS = Set.of("/userinfo", "/.well-known/");
    /**
     * Endpoints Lock calls with no client named and no credentials ({@code /user/geoloc/country}): readable from an
     * origin that some client lists, as a preflight is decided.
     */
    public static final Set<String> LISTED_PATHS = Set.of("/user/geoloc/country");

    /** Request headers auth0.js and plain HTTP clients send; any other makes the preflight fail in the browser. */
    static final Set<String> ALLOWED_HEADERS = Set.of("content-type", "auth0-client", "x-request-language",
            "authorization", "x-request-id", "accept-language");
    static final String MAX_AGE_SECONDS = "600";

    /** Routing context key: the Origin of a cross-origin request to one of the client paths. */
    private static final String ORIGIN = "latchkey.cors.origin";
    /** Routing context key: set once {@link #admit} allowed that origin for the request's client. */
    private static final String ADMITTED = "latchkey.cors.admitted";
    /** After {@code RequestIds}, before body limits and every resource. */
    private static final int ORDER = -900;

    private final ConfigView config;

    public CrossOriginRequests(ConfigView config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    /**
     * Whether the request may go on for {@code clientId}: true when it is not a cross-origin request to a client path,
     * or when that client lists its origin (the response will then carry {@code Access-Control-Allow-Origin}). The
     * caller refuses the request, in its own error format, when this is false.
     */
    public boolean admit(RoutingContext rc, String clientId) {
        String origin = rc.get(ORIGIN);
        if (origin == null) {
            return true;
        }
        boolean allowed = config.client(clientId).map(c -> allows(c, origin)).orElse(false);
        if (allowed) {
            rc.put(ADMITTED, Boolean.TRUE);
        }
        return allowed;
    }

    private void handle(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        String path = rc.normalizedPath();
        boolean client = CLIENT_PATHS.contains(path);
        boolean listed = LISTED_PATHS.contains(path);
        boolean open = !client && !listed && isPublic(path);
        if (origin == null || (!client && !listed && !open)
                || sameOrigin(origin, rc.request().getHeader(HttpHeaders.HOST))) {
            rc.next();
            return;
        }
        boolean preflight = rc.request().method() == HttpMethod.OPTIONS
                && rc.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        HttpServerResponse response = rc.response();
        response.headers().add(HttpHeaders.VARY, "Origin");
        if (open) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            if (preflight) {
                preflight(rc, "GET, POST");
                return;
            }
            rc.next();
            return;
        }
        if (listed) {
            if (listedByAnyClient(origin)) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                if (preflight) {
                    preflight(rc, "GET");
                    return;
                }
            } else if (preflight) {
                refuse(response);
                return;
            }
            rc.next();
            return;
        }
        if (preflight) {
            if (!listedByAnyClient(origin)) {
                refuse(response);
                return;
            }
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            preflight(rc, "POST");
            return;
        }
        rc.put(ORIGIN, origin);
        rc.addHeadersEndHandler(v -> {
            if (Boolean.TRUE.equals(rc.get(ADMITTED))) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                        .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Request-Id, Retry-After");
            }
        });
        rc.next();
    }

    private static void refuse(HttpServerResponse response) {
        response.setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end("{\"error\":\"access_denied\",\"error_description\":"
                        + "\"This origin is not allowed to call this endpoint.\"}");
    }

    private static void preflight(RoutingContext rc, String methods) {
        HttpServerResponse response = rc.response();
        response.headers().add(HttpHeaders.VARY, "Access-Control-Request-Headers");
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, allowedHeaders(
                        rc.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS)))
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
                .setStatusCode(204).end();
    }

    /** The requested headers we accept, as asked; a header we do not accept is left out, so the browser refuses. */
    static String allowedHeaders(String requested) {
        if (requested == null || requested.isBlank()) {
            return "Content-Type";
        }
        return Arrays.stream(requested.split(",")).map(String::strip)
                .filter(h -> ALLOWED_HEADERS.contains(h.toLowerCase(Locale.ROOT)))
                .collect(Collectors.joining(", "));
    }

    private static boolean isPublic(String path) {
        return path != null && PUBLIC_PATHS.stream()
                .anyMatch(p -> p.endsWith("/") ? path.startsWith(p) : path.equals(p));
    }

    private boolean listedByAnyClient(String origin) {
        return config.clients().stream().anyMatch(c -> allows(c, origin));
    }

    /**
     * Origins are stored as {@code scheme://host[:port]} (admin-service normalises them) and compared case-blind. A
     * stored {@code scheme://*.domain[:port]} (Auth0's wildcard subdomain) admits an origin with the same scheme and
     * port whose host is exactly one label more than {@code domain}: {@code https://*.example.com} admits
     * {@code https://shop.example.com}, not {@code https://example.com} nor {@code https://a.b.example.com}.
     */
    public static boolean allows(ClientConfig client, String origin) {
        return origin != null && !"null".equals(origin) && client.allowedOrigins().stream()
                .anyMatch(o -> matches(strip(o), origin));
    }

    static boolean matches(String allowed, String origin) {
        int wildcard = allowed.indexOf("://*.");
        if (wildcard < 0) {
            return allowed.equalsIgnoreCase(origin);
        }
        String scheme = allowed.substring(0, wildcard + 3); // "https://"
        String rest = allowed.substring(wildcard + 4); // ".example.com[:port]"
        if (!origin.regionMatches(true, 0, scheme, 0, scheme.length())
                || !origin.regionMatches(true, origin.length() - rest.length(), rest, 0, rest.length())) {
            return false;
        }
        String label = origin.substring(scheme.length(), origin.length() - rest.length());
        return !label.isEmpty() && label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-');
    }

    /** Whether {@code origin} names the host the request was sent to (the Host header, kept by the proxy). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI u = new URI(origin);
            return u.getRawAuthority() != null && u.getRawAuthority().equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * As a browser writes it: no trailing slash, no default port. admin-service stores origins so; clients saved
     * before it did may still hold {@code https://x:443}.
     */
    private static String strip(String origin) {
        String o = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        if (o.regionMatches(true, 0, "https://", 0, 8) && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        if (o.regionMatches(true, 0, "http://", 0, 7) && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        return o;
    }
}
