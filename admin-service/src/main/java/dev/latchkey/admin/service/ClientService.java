package dev.latchkey.admin.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.latchkey.admin.messaging.ConfigRelay;
import dev.latchkey.admin.store.ClientEntity;
import dev.latchkey.admin.store.ConfigOutbox;
import dev.latchkey.admin.store.PersistenceFailures;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ClientSecrets;

/**
 * Clients (applications): every committed change is queued on the config topic in the same transaction. Secrets
 * are 256-bit random values shown once; only their SHA-256 is kept.
 */
@ApplicationScoped
public class ClientService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ObjectMapper mapper;
    private final RequestJson json;
    private final ConfigOutbox outbox;
    private final ConfigRelay relay;
    private final Clock clock;

    public ClientService(RequestJson json, ConfigOutbox outbox, ConfigRelay relay, Clock clock) {
        this.mapper = json.mapper();
        this.json = json;
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
    }

    /** A new client secret: 256 random bits, base64url (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Uni<Page<ClientView>> list(int page, int perPage) {
        return Panache.withSession(() -> ClientEntity
                .<ClientEntity>find("from ClientEntity order by lower(name), clientId")
                .page(page, perPage).list()
                .flatMap(items -> ClientEntity.count()
                        .map(total -> new Page<>(items.stream().map(this::view).toList(), page, perPage, total))));
    }

    public Uni<ClientView> get(String clientId) {
        return Panache.withSession(() -> find(clientId)).map(this::view);
    }

    /** Creates a client; the answer carries the generated secret of a confidential client, once. */
    public Uni<ClientView> create(ClientCommand request) {
        return create(request, null);
    }

    /**
     * @param givenSecret a secret chosen by the operator's environment (bootstrap and seed), or null to generate one
     */
    public Uni<ClientView> create(ClientCommand request, String givenSecret) {
        String clientId = request.clientId() == null ? newClientId() : request.clientId();
        ClientRules.checkClientId(clientId);
        return write(() -> connectionNames().flatMap(known -> {
            ClientConfig config = ClientRules.toConfig(clientId, request, known);
            String method = ClientRules.authMethod(request);
            String secret = ClientRules.AUTH_NONE.equals(method)
                    ? null
                    : givenSecret != null ? givenSecret : newSecret();
            ClientConfig stored = withSecretHash(config, secret == null ? null : ClientSecrets.sha256(secret));
            return ClientEntity.<ClientEntity>findById(clientId).flatMap(existing -> {
                if (existing != null) {
                    return Uni.createFrom().failure(conflict(clientId));
                }
                ClientEntity e = new ClientEntity();
                e.clientId = clientId;
                e.name = stored.name();
                e.authMethod = method;
                e.config = write(stored);
                e.createdAt = e.updatedAt = now();
                return e.<ClientEntity>persist()
                        .call(() -> outbox.append(ConfigOutbox.clientKey(clientId), e.config))
                        .map(saved -> view(saved).withSecret(secret));
            });
        }), clientId);
    }

    /** Merges a JSON merge patch into the client. Unchanged content writes and publishes nothing. */
    public Uni<ClientView> update(String clientId, JsonNode patch) {
        return write(() -> find(clientId).flatMap(entity -> {
            ClientConfig current = read(entity.config);
            JsonNode merged = json.merge(mapper.valueToTree(writable(entity, current)), patch);
            ClientCommand request = json.read(merged, ClientCommand.class);
            if (!clientId.equals(request.clientId())) {
                throw ManagementException.invalidBody("client_id cannot be changed");
            }
            return connectionNames().flatMap(known -> {
                ClientConfig next = ClientRules.toConfig(clientId, request, known);
                String method = ClientRules.authMethod(request);
                String secret = null;
                String hash = null;
                if (!ClientRules.AUTH_NONE.equals(method)) {
                    hash = current.clientSecretSha256();
                    if (hash == null) {
                        secret = newSecret();
                        hash = ClientSecrets.sha256(secret);
                    }
                }
                String shown = secret;
                return save(entity, withSecretHash(next, hash), method)
                        .map(v -> shown == null ? v : v.withSecret(shown));
            });
        }), clientId);
    }

    /** Replaces the secret of a confidential client; the answer carries the new secret, once. */
    public Uni<ClientView> rotateSecret(String clientId) {
        return write(() -> find(clientId).flatMap(entity -> {
            if (ClientRules.AUTH_NONE.equals(entity.authMethod)) {
                throw ManagementException.invalidBody(
                        "the client is public (token_endpoint_auth_method none): it has no secret to rotate");
            }
            String secret = newSecret();
            ClientConfig next = withSecretHash(read(entity.config), ClientSecrets.sha256(secret));
            return save(entity, next, entity.authMethod).map(v -> v.withSecret(secret));
        }), clientId);
    }

    public Uni<Void> delete(String clientId) {
        return write(() -> find(clientId)
                .call(entity -> entity.delete())
                .call(() -> outbox.append(ConfigOutbox.clientKey(clientId), null))
                .replaceWithVoid(), clientId);
    }

    /**
     * Makes the client match {@code request} and {@code secret} (the bootstrap management client, which the
     * environment owns). True when something changed.
     */
    public Uni<Boolean> ensure(ClientCommand request, String secret) {
        String clientId = request.clientId();
        return Panache.withSession(() -> ClientEntity.<ClientEntity>findById(clientId)).flatMap(existing -> {
            if (existing == null) {
                return create(request, secret).replaceWith(true);
            }
            return write(() -> find(clientId).flatMap(entity -> connectionNames().flatMap(known -> {
                ClientConfig next = withSecretHash(ClientRules.toConfig(clientId, request, known),
                        ClientSecrets.sha256(secret));
                boolean changed = !same(write(next), entity.config)
                        || !ClientRules.authMethod(request).equals(entity.authMethod);
                return save(entity, next, ClientRules.authMethod(request)).replaceWith(changed);
            })), clientId);
        });
    }

    /** Whether a client exists (for the seed, which creates only what is missing). */
    public Uni<Boolean> exists(String clientId) {
        return Panache.withSession(() -> ClientEntity.<ClientEntity>findById(clientId)).map(e -> e != null);
    }

    private Uni<ClientView> save(ClientEntity entity, ClientConfig next, String method) {
        String nextJson = write(next);
        if (same(nextJson, entity.config) && method.equals(entity.authMethod)) {
            return Uni.createFrom().item(view(entity));
        }
        entity.config = nextJson;
        entity.name = next.name();
        entity.authMethod = method;
        entity.updatedAt = now();
        return outbox.append(ConfigOutbox.clientKey(entity.clientId), nextJson).map(v -> view(entity));
    }

    /** Runs a change in a transaction, wakes the relay after the commit, and turns database refusals into 409s. */
    private <T> Uni<T> write(Supplier<Uni<T>> work, String clientId) {
        return Panache.withTransaction(work)
                .invoke(relay::wake)
                .onFailure(PersistenceFailures::duplicateKey).transform(e -> conflict(clientId))
                .onFailure(PersistenceFailures::concurrentChange).transform(e -> ManagementException.conflict(
                        "conflict", "The client was changed by another request at the same time; try again."));
    }

    private static Uni<ClientEntity> find(String clientId) {
        return ClientEntity.<ClientEntity>findById(clientId).map(e -> {
            if (e == null) {
                throw ManagementException.notFound("inexistent_client", "The client does not exist.");
            }
            return e;
        });
    }

    static Uni<Set<String>> connectionNames() {
        return Panache.getSession().flatMap(s -> s
                .createSelectionQuery("select c.name from ConnectionEntity c", String.class).getResultList())
                .map(Set::copyOf);
    }

    /** Every client, for the connection cascade and the resync. */
    static Uni<List<ClientEntity>> all() {
        return ClientEntity.<ClientEntity>find("from ClientEntity order by clientId").list();
    }

    private static ManagementException conflict(String clientId) {
        return ManagementException.conflict("client_conflict", "A client with id '" + clientId + "' already exists.");
    }

    static ClientConfig withSecretHash(ClientConfig c, String hash) {
        return new ClientConfig(c.clientId(), c.name(), c.appType(), hash, c.callbacks(), c.allowedOrigins(),
                c.connections(), c.grantTypes(), c.idTokenTtlS(), c.accessTokenTtlS(), c.refreshToken(),
                c.clientGrants());
    }

    static ClientConfig withConnections(ClientConfig c, List<String> connections) {
        return new ClientConfig(c.clientId(), c.name(), c.appType(), c.clientSecretSha256(), c.callbacks(),
                c.allowedOrigins(), connections, c.grantTypes(), c.idTokenTtlS(), c.accessTokenTtlS(),
                c.refreshToken(), c.clientGrants());
    }

    private static ClientCommand writable(ClientEntity e, ClientConfig c) {
        var rt = c.refreshToken() == null
                ? null
                : new ClientCommand.RefreshToken(c.refreshToken().rotation(), c.refreshToken().reuseIntervalS(),
                        c.refreshToken().absoluteTtlS());
        return new ClientCommand(e.clientId, c.name(), c.appType(), e.authMethod, c.callbacks(), c.allowedOrigins(),
                c.connections(), c.grantTypes(), c.idTokenTtlS(), c.accessTokenTtlS(), rt, c.clientGrants());
    }

    ClientView view(ClientEntity e) {
        ClientConfig c = read(e.config);
        ClientCommand w = writable(e, c);
        return new ClientView(e.clientId, c.name(), c.appType(), e.authMethod, c.callbacks(),
                c.allowedOrigins(), c.connections(), c.grantTypes(), c.idTokenTtlS(), c.accessTokenTtlS(),
                w.refreshToken(), c.clientGrants(), null, e.createdAt, e.updatedAt);
    }

    ClientConfig read(String config) {
        try {
            return mapper.readValue(config, ClientConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored client config is unreadable", e);
        }
    }

    String write(Object config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("client config could not be written", e);
        }
    }

    private boolean same(String a, String b) {
        try {
            return mapper.readTree(a).equals(mapper.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static String newClientId() {
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            b.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return b.toString();
    }
}
