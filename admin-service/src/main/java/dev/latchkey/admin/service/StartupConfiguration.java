package dev.latchkey.admin.service;

import static dev.latchkey.common.auth.ManagementScopes.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.config.AdminConfig;
import dev.latchkey.common.auth.AuthConfig;

/**
 * At start, once the database answers: makes the bootstrap management client match the environment, then applies
 * the seed file. Runs in the background and retries, so a database that comes up late delays it without failing
 * the start. Neither step publishes anything that did not change.
 */
@ApplicationScoped
public class StartupConfiguration {

    private static final Logger LOG = Logger.getLogger(StartupConfiguration.class);

    /** Every Management API scope: what the bootstrap client may ask for. */
    public static final List<String> ALL_SCOPES = List.of(READ_CLIENTS, CREATE_CLIENTS, UPDATE_CLIENTS,
            DELETE_CLIENTS, READ_CONNECTIONS, CREATE_CONNECTIONS, UPDATE_CONNECTIONS, DELETE_CONNECTIONS, READ_USERS,
            UPDATE_USERS, DELETE_USERS, READ_SIGNING_KEYS, CREATE_SIGNING_KEYS);

    private final AdminConfig config;
    private final AuthConfig auth;
    private final ClientService clients;
    private final Seed seed;
    private volatile boolean stopping;
    private volatile boolean done;

    public StartupConfiguration(AdminConfig config, AuthConfig auth, ClientService clients, Seed seed) {
        this.config = config;
        this.auth = auth;
        this.clients = clients;
        this.seed = seed;
    }

    void start(@Observes StartupEvent event) {
        if (config.managementClient().id().isEmpty() && config.seedFile().isEmpty()) {
            done = true;
            return;
        }
        Thread.ofVirtual().name("startup-configuration").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the bootstrap client and the seed have been applied. */
    public boolean done() {
        return done;
    }

    private void run() {
        Duration wait = Duration.ofSeconds(1);
        String lastError = null;
        while (!stopping) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> bootstrapClient().chain(this::seed));
                done = true;
                return;
            } catch (ManagementException e) {
                LOG.errorf("start configuration refused: %s (fix it and restart)", e.getMessage());
                return;
            } catch (Throwable e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!error.equals(lastError)) {
                    LOG.warnf("bootstrap client and seed not applied yet (%s); retrying", error);
                    lastError = error;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30)
                        : wait.multipliedBy(2);
            }
        }
    }

    Uni<Void> bootstrapClient() {
        var id = config.managementClient().id();
        if (id.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String secret = config.managementClient().secret().orElse("");
        if (secret.length() < 32) {
            return Uni.createFrom().failure(ManagementException.invalidBody(
                    "LATCHKEY_MANAGEMENT_CLIENT_SECRET must be set, at least 32 characters (openssl rand -base64 32)"));
        }
        String audience = auth.managementApiAudience();
        ClientCommand request = new ClientCommand(id.get(), "Management API (bootstrap)", "non_interactive",
                "client_secret_post", null, null, null, List.of("client_credentials"), null, null, null,
                Map.of(audience, ALL_SCOPES));
        return clients.ensure(request, secret).invoke(changed -> LOG.infof(
                "management client %s %s. Get a Management API token with:%n  curl -s %soauth/token "
                        + "-d grant_type=client_credentials -d client_id=%s -d client_secret=\"$LATCHKEY_MANAGEMENT_CLIENT_SECRET\" "
                        + "-d audience=%s",
                id.get(), changed ? "written" : "unchanged", auth.issuerWithSlash(), id.get(), audience))
                .replaceWithVoid();
    }

    Uni<Void> seed() {
        return config.seedFile().map(f -> seed.apply(f).replaceWithVoid()).orElse(Uni.createFrom().voidItem());
    }
}
