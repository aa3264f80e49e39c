package dev.latchkey.token.grant;

import java.time.Clock;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.otp.OtpHmac;
import dev.latchkey.common.recipient.Recipients;
import dev.latchkey.token.config.TokenConfig;
import dev.latchkey.token.service.AuthError;
import dev.latchkey.token.store.OtpStore;
import dev.latchkey.token.store.OtpStore.Outcome;

/**
 * Checks a one-time code against what otp-service stored: the HMAC of (code, client, connection, recipient) is
 * compared in Redis in one atomic step that also counts the attempt and, on success, removes the code. Answers in
 * Auth0's words.
 */
@ApplicationScoped
public class CodeVerifier {

    private static final Logger LOG = Logger.getLogger(CodeVerifier.class);

    static final String EXHAUSTED = "You've reached the maximum number of attempts. Please try to login again.";
    static final String EXPIRED = "The verification code has expired. Please try to login again.";

    private final OtpStore store;
    private final ConfigView connections;
    private final OtpHmac hmac;
    private final TokenConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public CodeVerifier(OtpStore store, ConfigView connections, OtpHmac hmac, TokenConfig config, Clock clock,
            MeterRegistry metrics) {
        this.store = store;
        this.connections = connections;
        this.hmac = hmac;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A successful verification: who, on which connection, and the authParams kept with the code. */
    public record Verified(ConnectionConfig connection, String recipient, String params) {
    }

    /** The connection {@code name}, enabled and enabled for the client; 400 otherwise. */
    public ConnectionConfig connection(ClientConfig client, String name) {
        ConnectionConfig connection = connections.connection(name).orElse(null);
        if (connection == null || connection.channel() == null) {
            throw AuthError.invalidRequest("Connection does not exist: " + name);
        }
        if (!connection.isEnabled() || !client.connectionEnabled(connection.name())) {
            throw AuthError.invalidRequest("Connection is not enabled for the client: " + name);
        }
        return connection;
    }

    /**
     * Verifies {@code code} for {@code rawRecipient} (normalised as otp-service does). {@code consume}: a login
     * (the code is gone after success) or a check (it stays for the redirect that follows).
     */
    public Uni<Verified> verify(ClientConfig client, ConnectionConfig connection, String rawRecipient, String code,
            boolean consume) {
        String recipient = Recipients.normalise(connection.strategy(), rawRecipient).orElse(null);
        if (recipient == null || code == null || code.isBlank() || code.length() > 32) {
            // A malformed number or code is just a wrong guess to the caller; nothing to count it against.
            return Uni.createFrom().failure(AuthError.wrongCode(connection));
        }
        String presented = hmac.of(code.strip(), client.clientId(), connection.name(), recipient);
        var attempt = new OtpStore.Attempt(connection.name(), recipient, presented, client.clientId(),
                clock.millis(), consume);
        return store.verify(attempt, config.otp().lockThreshold(), config.otp().failWindow().toMillis())
                .onFailure().transform(e -> {
                    LOG.errorf("code verification failed in Redis: %s", e.getMessage());
                    return AuthError.unavailable("Codes cannot be verified right now; try again shortly.");
                })
                .map(v -> {
                    metrics.counter("latchkey.otp.verifications", "outcome",
                            v.outcome().name().toLowerCase(Locale.ROOT))
                            .increment();
                    if (v.outcome() == Outcome.OK) {
                        return new Verified(connection, recipient, v.params());
                    }
                    throw switch (v.outcome()) {
                        case WRONG -> AuthError.wrongCode(connection);
                        case EXHAUSTED -> AuthError.invalidGrant(EXHAUSTED);
                        case EXPIRED -> AuthError.invalidGrant(EXPIRED);
                        case LOCKED -> new AuthError(429, "too_many_attempts",
                                "Too many failed verification attempts for this recipient. Try again later.",
                                Math.max(1, (v.value() + 999) / 1000));
                        default -> new IllegalStateException("unexpected outcome " + v.outcome());
                    };
                });
    }
}
