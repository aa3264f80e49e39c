package dev.latchkey.token.login;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.grant.ClientAuthenticator;
import dev.latchkey.token.grant.CodeVerifier;
import dev.latchkey.token.grant.TokenService;
import dev.latchkey.token.login.PasswordlessService.Outcome;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.service.Grants;
import dev.latchkey.token.service.TokenRequest;
import dev.latchkey.token.store.LoginTickets;
import dev.latchkey.token.store.LoginTickets.Ticket;
import dev.latchkey.token.store.OpaqueTokens;
import dev.latchkey.token.user.Users;

/**
 * Cross-origin authentication, what auth0.js {@code passwordlessLogin} (and Lock Passwordless) do from an app's own
 * origin: {@code POST /co/authenticate} verifies the one-time code exactly as the OTP grant does and hands out a login
 * ticket; {@code GET /authorize?login_ticket=} takes the ticket instead of showing the login page and ends like every
 * other authorization (code or tokens at a registered callback).
 *
 * <p>
 * A ticket is 256 random bits, stored only as its SHA-256, good for one {@code /authorize} within
 * {@code latchkey.token.login-ticket-ttl}, for the client it was issued to, and only towards a {@code redirect_uri} on
 * the origin whose page asked for it.
 */
@ApplicationScoped
public class CrossOriginLogins {

    private static final Logger LOG = Logger.getLogger(CrossOriginLogins.class);
    static final String INVALID_TICKET = "The login ticket is invalid, expired or already used. Please try to login "
            + "again.";

    private final ClientAuthenticator clients;
    private final ConfigView config;
    private final TokenService tokens;
    private final Users users;
    private final PasswordlessService passwordless;
    private final LoginTickets tickets;
    private final TokenConfig settings;

    public CrossOriginLogins(ClientAuthenticator clients, ConfigView config, TokenService tokens, Users users,
            PasswordlessService passwordless, LoginTickets tickets, TokenConfig settings) {
        this.clients = clients;
        this.config = config;
        this.tokens = tokens;
        this.users = users;
        this.passwordless = passwordless;
        this.tickets = tickets;
        this.settings = settings;
    }

    /** The answer of {@code /co/authenticate}, in auth0.js's names. */
    public record Authenticated(String loginTicket, String coId, String coVerifier) {
    }

    /**
     * {@code POST /co/authenticate}: {@code client_id}, {@code credential_type} (the passwordless OTP grant),
     * {@code realm} (connection), {@code username} (phone or email), {@code otp}; {@code origin} is the page's
     * origin, already admitted by the client's allowed origins (or this service's own).
     */
    public Uni<Authenticated> authenticate(TokenRequest r, String origin) {
        try {
            if (origin == null) {
                throw AuthError.invalidRequest("Cross-origin authentication needs the Origin header of a browser.");
            }
            ClientConfig client = clients.find(r.clientId());
            String credentialType = r.required("credential_type");
            if (!Grants.PASSWORDLESS_OTP.equals(credentialType)) {
                throw new AuthError(400, "unsupported_credential_type",
                        "Unsupported credential_type: use " + Grants.PASSWORDLESS_OTP);
            }
            ClientAuthenticator.requireGrant(client, Grants.PASSWORDLESS_OTP);
            String realm = r.required("realm");
            ConnectionConfig connection = CodeVerifier.connection(client, config.connection(realm).orElse(null),
                    realm);
            String username = r.required("username");
            String otp = r.required("otp");
            return tokens.login(client, connection, username, otp, true).chain(user -> {
                String ticket = OpaqueTokens.random(32);
                String verifier = OpaqueTokens.random(32);
                var record = new Ticket(client.clientId(), user.userId, origin.toLowerCase(Locale.ROOT));
                return tickets.save(ticket, record, settings.loginTicketTtl())
                        .map(x -> new Authenticated(ticket, OpaqueTokens.random(16), verifier));
            });
        } catch (AuthError e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * {@code /authorize} with a login ticket: {@code p} are the authorize parameters already checked by
     * {@link AuthorizeRequests} ({@code redirect_uri} registered), taken once; a ticket that is unknown, expired,
     * used, of another client, or asked for by a page on another origin than {@code redirect_uri}'s, gets
     * {@code access_denied} at the redirect_uri.
     */
    public Uni<Outcome> authorize(ClientConfig client, Map<String, String> p, String ticket) {
        String redirectUri = p.get("redirect_uri");
        // Taken only once the request is known good, and inside the sign-in: a failure to read it (Redis down) goes
        // back to the app like any other refusal (error=temporarily_unavailable at its redirect_uri), not as JSON.
        return passwordless.authorize(client, p, redirectUri, () -> tickets.take(ticket).onFailure().transform(e -> {
            LOG.errorf("login ticket could not be read from Redis: %s", e.getMessage());
            return AuthError.unavailable("Logins cannot be completed right now; try again shortly.");
        }).chain(t -> {
            if (t == null || !t.clientId().equals(client.clientId()) || !t.origin().equals(origin(redirectUri))) {
                if (t != null) {
                    // Spent by someone else's /authorize, or sent towards another origin: worth seeing.
                    LOG.infof("login ticket of client %s refused at /authorize of client %s (%s)", t.clientId(),
                            client.clientId(), t.clientId().equals(client.clientId())
                                    ? "other origin"
                                    : "other client");
                }
                throw AuthError.accessDenied(INVALID_TICKET);
            }
            return users.active(t.userId());
        }));
    }

    /** {@code scheme://host[:port]} of a URL, lower case; null when it has none. */
    static String origin(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return null;
            }
            return (u.getScheme() + "://" + u.getRawAuthority()).toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
