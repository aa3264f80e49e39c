package dev.latchkey.admin.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.common.config.ClientConfig;

/**
 * What a valid client looks like, and the defaults of each app type. Turns a request into the record published on
 * the config topic (without the secret hash, which {@link ClientService} adds).
 */
final class ClientRules {

    static final String PASSWORDLESS_OTP = "http://auth0.com/oauth/grant-type/passwordless/otp";
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "implicit", "refresh_token",
            "client_credentials", PASSWORDLESS_OTP);
    static final Set<String> APP_TYPES = Set.of("regular_web", "spa", "native", "non_interactive");
    static final String AUTH_NONE = "none";
    static final Set<String> AUTH_METHODS = Set.of(AUTH_NONE, "client_secret_post", "client_secret_basic");

    private static final Pattern WILDCARD_ORIGIN = Pattern.compile(
            "(?i)(https?)://\\*\\.((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62})(:[0-9]{1,5})?/?");
    private static final Pattern CLIENT_ID = Pattern.compile("^[A-Za-z0-9_-]{3,64}$");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$");
    private static final int MAX_URLS = 100;

    private ClientRules() {
    }

    static void checkClientId(String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw ManagementException.invalidBody(
                    "client_id must be 3 to 64 characters of letters, digits, '-' and '_'");
        }
    }

    /** The authentication method in force: the given one, else the app type's default. */
    static String authMethod(ClientCommand r) {
        String appType = appType(r);
        String method = r.tokenEndpointAuthMethod();
        if (method == null) {
            return "spa".equals(appType) || "native".equals(appType) ? AUTH_NONE : "client_secret_post";
        }
        if (!AUTH_METHODS.contains(method)) {
            throw ManagementException.invalidBody("token_endpoint_auth_method must be one of " + sorted(AUTH_METHODS));
        }
        return method;
    }

    static String appType(ClientCommand r) {
        String t = r.appType() == null ? "regular_web" : r.appType();
        if (!APP_TYPES.contains(t)) {
            throw ManagementException.invalidBody("app_type must be one of " + sorted(APP_TYPES));
        }
        return t;
    }

    /**
     * The published record for a valid request.
     *
     * @param knownConnections names of the connections that exist
     */
    static ClientConfig toConfig(String clientId, ClientCommand r, Set<String> knownConnections) {
        String name = r.name() == null ? null : r.name().strip();
        if (name == null || name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw ManagementException.invalidBody("name is required: 1 to 200 characters, no control characters");
        }
        String appType = appType(r);
        String method = authMethod(r);
        if ("non_interactive".equals(appType) && AUTH_NONE.equals(method)) {
            throw ManagementException.invalidBody(
                    "a non_interactive client authenticates with a secret: token_endpoint_auth_method cannot be none");
        }
        List<String> callbacks = urls("callbacks", r.callbacks(), false);
        List<String> origins = urls("allowed_origins", r.allowedOrigins(), true);
        List<String> connections = distinct("connections", r.connections());
        for (String c : connections) {
            if (!knownConnections.contains(c)) {
                throw ManagementException.invalidBody("connections: no connection named '" + c + "'");
            }
        }
        List<String> grants = r.grantTypes() == null ? defaultGrants(appType) : distinct("grant_types", r.grantTypes());
        for (String g : grants) {
            if (!GRANT_TYPES.contains(g)) {
                throw ManagementException.invalidBody("grant_types: unknown grant type '" + g + "'; known: "
                        + sorted(GRANT_TYPES));
            }
        }
        if (grants.contains("client_credentials") && AUTH_NONE.equals(method)) {
            throw ManagementException.invalidBody(
                    "grant_types: client_credentials needs a confidential client (token_endpoint_auth_method)");
        }
        int idTtl = bounded("id_token_ttl_s", r.idTokenTtlS(), 36000, 60, 2_592_000);
        int accessTtl = bounded("access_token_ttl_s", r.accessTokenTtlS(), 86400, 60, 2_592_000);
        ClientCommand.RefreshToken rt = r.refreshToken() == null
                ? new ClientCommand.RefreshToken(null, null, null)
                : r.refreshToken();
        var refresh = new ClientConfig.RefreshTokenSettings(rt.rotation() == null || rt.rotation(),
                bounded("refresh_token.reuse_interval_s", rt.reuseIntervalS(), 0, 0, 3600),
                bounded("refresh_token.absolute_ttl_s", rt.absoluteTtlS(), 2_592_000, 60, 31_536_000));
        return new ClientConfig(clientId, name, appType, null, callbacks, origins, connections, grants, idTtl,
                accessTtl, refresh, grants(r.clientGrants()));
    }

    static List<String> defaultGrants(String appType) {
        return switch (appType) {
            case "non_interactive" -> List.of("client_credentials");
            case "spa" -> List.of("authorization_code", "implicit", "refresh_token", PASSWORDLESS_OTP);
            default -> List.of("authorization_code", "refresh_token", PASSWORDLESS_OTP);
        };
    }

    private static Map<String, List<String>> grants(Map<String, List<String>> given) {
        if (given == null) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var e : given.entrySet()) {
            String audience = e.getKey();
            if (audience.isBlank() || audience.length() > 512) {
                throw ManagementException.invalidBody("client_grants: an audience must be 1 to 512 characters");
            }
            List<String> scopes = distinct("client_grants." + audience, e.getValue());
            for (String s : scopes) {
                if (!SCOPE_TOKEN.matcher(s).matches()) {
                    throw ManagementException.invalidBody("client_grants." + audience + ": '" + s
                            + "' is not a valid scope");
                }
            }
            out.put(audience, scopes);
        }
        return out;
    }

    private static int bounded(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ManagementException.invalidBody(field + " must be between " + min + " and " + max);
        }
        return v;
    }

    private static List<String> distinct(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_URLS) {
            throw ManagementException.invalidBody(field + " has more than " + MAX_URLS + " entries");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank()) {
                throw ManagementException.invalidBody(field + "[" + i + "] is empty");
            }
            out.add(v.strip());
        }
        return List.copyOf(out);
    }

    /** Absolute URLs without a fragment; origins are scheme://host[:port] only. */
    private static List<String> urls(String field, List<String> values, boolean originsOnly) {
        List<String> list = distinct(field, values);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String v = list.get(i);
            if (originsOnly && v.contains("*")) {
                v = wildcardOrigin(field, i, v);
                if (!out.contains(v)) {
                    out.add(v);
                }
                continue;
            }
            URI u;
            try {
                u = new URI(v);
            } catch (URISyntaxException e) {
                throw ManagementException.invalidBody(field + "[" + i + "] is not a valid URL");
            }
            boolean web = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            if (!u.isAbsolute() || u.getFragment() != null || v.length() > 2048
                    || (web && (u.getHost() == null || u.getHost().isEmpty()))) {
                throw ManagementException.invalidBody(field + "[" + i
                        + "] must be an absolute URL without a fragment");
            }
            if (originsOnly) {
                boolean bare = u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath());
                if (!web || !bare || u.getRawQuery() != null || u.getUserInfo() != null) {
                    throw ManagementException.invalidBody(field + "[" + i
                            + "] must be an origin: scheme://host[:port]");
                }
                // As a browser writes its Origin header: lower case, no default port.
                String scheme = u.getScheme().toLowerCase(Locale.ROOT);
                int port = u.getPort() == ("https".equals(scheme) ? 443 : 80) ? -1 : u.getPort();
                v = scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port);
                if (out.contains(v)) {
                    continue;
                }
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /**
     * Auth0's wildcard subdomain, {@code scheme://*.domain[:port]}: the wildcard only as the whole first label, and
     * at least two labels after it, so that it cannot stand for every site under a top-level domain
     * ({@code https://*.com}). Normalised as exact origins are.
     */
    private static String wildcardOrigin(String field, int i, String v) {
        Matcher m = WILDCARD_ORIGIN.matcher(v);
        if (!m.matches()) {
            throw ManagementException.invalidBody(field + "[" + i + "] may use a wildcard only as a whole subdomain"
                    + " label of a domain with at least two labels: scheme://*.example.com[:port]");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String port = m.group(3);
        boolean defaultPort = port != null
                && Integer.parseInt(port.substring(1)) == ("https".equals(scheme) ? 443 : 80);
        return scheme + "://*." + m.group(2).toLowerCase(Locale.ROOT) + (port == null || defaultPort ? "" : port);
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
