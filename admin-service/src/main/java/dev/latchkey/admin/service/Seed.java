package dev.latchkey.admin.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * Applies a seed file: {@code {"connections": [...], "clients": [...]}} with the bodies the API takes. Creates only
 * what does not exist yet, so applying it again (every start) changes and publishes nothing, and an operator's
 * later edits to a seeded item are kept. A seeded confidential client may name an environment variable holding its
 * secret ({@code "client_secret_env"}); without one it gets a random secret nobody sees (rotate it through the API).
 */
@ApplicationScoped
public class Seed {

    private static final Logger LOG = Logger.getLogger(Seed.class);

    private final RequestJson json;
    private final ClientService clients;
    private final ConnectionService connections;
    private final Function<String, String> environment;

    @Inject
    public Seed(RequestJson json, ClientService clients, ConnectionService connections) {
        this(json, clients, connections, System::getenv);
    }

    Seed(RequestJson json, ClientService clients, ConnectionService connections,
            Function<String, String> environment) {
        this.json = json;
        this.clients = clients;
        this.connections = connections;
        this.environment = environment;
    }

    /** What one application of a seed created (names), the rest already existed. */
    public record Outcome(List<String> createdConnections, List<String> createdClients) {
    }

    public Uni<Outcome> apply(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return Uni.createFrom().failure(new IllegalStateException("cannot read seed file " + file + ": "
                    + e.getMessage()));
        }
        return apply(json.parse(text));
    }

    public Uni<Outcome> apply(JsonNode seed) {
        List<ConnectionCommand> connectionRequests = new ArrayList<>();
        for (JsonNode c : seed.path("connections")) {
            connectionRequests.add(json.read(c, ConnectionCommand.class));
        }
        List<ClientCommand> clientRequests = new ArrayList<>();
        List<String> secretEnvs = new ArrayList<>();
        for (JsonNode c : seed.path("clients")) {
            ObjectNode body = ((ObjectNode) c).deepCopy();
            JsonNode env = body.remove("client_secret_env");
            ClientCommand r = json.read(body, ClientCommand.class);
            if (r.clientId() == null) {
                throw ManagementException.invalidBody("a seeded client needs a client_id");
            }
            clientRequests.add(r);
            secretEnvs.add(env == null ? null : env.asText());
        }
        List<String> createdConnections = new ArrayList<>();
        List<String> createdClients = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ConnectionCommand r : connectionRequests) {
            chain = chain.chain(() -> connections.exists(r.name()).chain(exists -> exists
                    ? Uni.createFrom().voidItem()
                    : connections.create(r).invoke(v -> createdConnections.add(r.name())).replaceWithVoid()));
        }
        for (int i = 0; i < clientRequests.size(); i++) {
            ClientCommand r = clientRequests.get(i);
            String secret = secretEnvs.get(i) == null ? null : environment.apply(secretEnvs.get(i));
            chain = chain.chain(() -> clients.exists(r.clientId()).chain(exists -> exists
                    ? Uni.createFrom().voidItem()
                    : clients.create(r, secret == null || secret.isBlank() ? null : secret)
                            .invoke(v -> createdClients.add(r.clientId())).replaceWithVoid()));
        }
        return chain.map(v -> new Outcome(List.copyOf(createdConnections), List.copyOf(createdClients)))
                .invoke(o -> LOG.infof("seed applied: created connections %s, clients %s (the rest existed)",
                        o.createdConnections(), o.createdClients()));
    }

}
