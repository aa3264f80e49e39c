package dev.latchkey.token.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.cors.CrossOriginRequests;
import dev.latchkey.token.config.LoginConfig;
import dev.latchkey.token.login.ClientSettings;
import dev.latchkey.token.login.LoginMessages;

/**
 * What Auth0's Lock loads from the tenant origin before it renders: {@code GET /client/{client_id}.js}, a script
 * (JSONP) calling {@code Auth0.setClient({...})} with the client's {@link ClientSettings}, and
 * {@code GET /user/geoloc/country}, the country the phone number field starts with. Lock adds a cache-busting
 * {@code ?t...} to the script's URL, so a short max-age only spares a reload.
 */
@Path("/")
public class LockResource {

    static final String JAVASCRIPT = "application/javascript; charset=utf-8";

    private final ClientSettings settings;
    private final ConfigView config;
    private final LoginConfig login;
    private final ObjectMapper mapper;

    public LockResource(ClientSettings settings, ConfigView config, LoginConfig login, ObjectMapper mapper) {
        this.settings = settings;
        this.config = config;
        this.login = login;
        this.mapper = mapper;
    }

    @GET
    @Path("client/{clientId}.js")
    @Produces(JAVASCRIPT)
    public Response client(@PathParam("clientId") String clientId, @HeaderParam("Origin") String origin)
            throws JsonProcessingException {
        var found = settings.of(clientId);
        if (found.isEmpty()) {
            // A script Lock's loader sees fail (no setClient): it shows its own error, as Auth0's 404 does.
            return Response.status(404).type(JAVASCRIPT).header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .entity("/* Unknown client. */\n").build();
        }
        // Inside a script: "</script>" or "<!--" cannot be formed from the data.
        String json = mapper.writeValueAsString(found.get()).replace("<", "\\u003c").replace(">", "\\u003e");
        Response.ResponseBuilder r = Response.ok("Auth0.setClient(" + json + ");\n").type(JAVASCRIPT)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=60").header(HttpHeaders.VARY, "Origin")
                .header("X-Content-Type-Options", "nosniff");
        // A <script> needs no CORS; a loader that fetches it does, from the client's own origins only.
        if (origin != null && config.client(clientId).map(c -> CrossOriginRequests.allows(c, origin)).orElse(false)) {
            r.header("Access-Control-Allow-Origin", origin);
        }
        return r.build();
    }

    /**
     * Lock's {@code getUserCountry}: the region of the browser's language ({@code en-GB} → {@code GB}), else
     * {@code latchkey.login.default-country}. CORS: any origin some client lists ({@link CrossOriginRequests}).
     */
    @GET
    @Path("user/geoloc/country")
    @Produces(MediaType.APPLICATION_JSON)
    public Response country(@HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        String region = LoginMessages.region(null, acceptLanguage);
        return Response.ok(Map.of("country_code", region == null ? login.defaultCountry() : region))
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .header(HttpHeaders.VARY, "Accept-Language, Origin").build();
    }
}
