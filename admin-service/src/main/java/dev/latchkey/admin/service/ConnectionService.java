package dev.latchkey.admin.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import dev.latchkey.admin.store.ConnectionEntity;
import dev.latchkey.admin.store.PersistenceFailures;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.common.crypto.PlatformCipher;

/**
 * Connections ({@code sms}, {@code email}): validated (templates parsed by the Liquid engine, numbers in E.164),
 * provider secrets encrypted with the platform key, every committed change queued on the config topic.
 */
@ApplicationScoped
public class ConnectionService {

    private final ObjectMapper mapper;
    private final RequestJson json;
    private final ConfigOutbox outbox;
    private final ConfigRelay relay;
    private final PlatformCipher cipher;
    private final TemplateCheck templates;
    private final ClientService clients;
    private final Clock clock;

    public ConnectionService(RequestJson json, ConfigOutbox outbox, ConfigRelay relay, PlatformCipher cipher,
            TemplateCheck templates, ClientService clients, Clock clock) {
        this.mapper = json.mapper();
        this.json = json;
        this.outbox = outbox;
        this.relay = relay;
        this.cipher = cipher;
        this.templates = templates;
        this.clients = clients;
        this.clock = clock;
    }

    public Uni<Page<ConnectionView>> list(String strategy, int page, int perPage) {
        return Panache.withSession(() -> {
            var query = strategy == null
                    ? ConnectionEntity.<ConnectionEntity>find("from ConnectionEntity order by name")
                    : ConnectionEntity.<ConnectionEntity>find("from ConnectionEntity where strategy = ?1 order by name",
                            strategy);
            return query.page(page, perPage).list().flatMap(items -> query.count()
                    .map(total -> new Page<>(items.stream().map(this::view).toList(), page, perPage, total)));
        });
    }

    public Uni<ConnectionView> get(String name) {
        return Panache.withSession(() -> find(name)).map(this::view);
    }

    public Uni<ConnectionView> create(ConnectionCommand request) {
        ConnectionRules.checkName(request.name());
        return Offload.call(() -> ConnectionRules.toConfig(request, null, cipher, templates))
                .flatMap(config -> create(config));
    }

    private Uni<ConnectionView> create(ConnectionConfig config) {
        return write(() -> ConnectionEntity.<ConnectionEntity>findById(config.name()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(conflict(config.name()));
            }
            ConnectionEntity e = new ConnectionEntity();
            e.name = config.name();
            e.strategy = config.strategy();
            e.config = write(config);
            e.createdAt = e.updatedAt = clock.instant();
            return e.<ConnectionEntity>persist()
                    .call(() -> outbox.append(ConfigOutbox.connectionKey(e.name), e.config))
                    .map(this::view);
        }), config.name());
    }

    /** Merges a JSON merge patch into the connection. Unchanged content writes and publishes nothing. */
    public Uni<ConnectionView> update(String name, JsonNode patch) {
        return write(() -> find(name).flatMap(entity -> {
            ConnectionConfig current = read(entity.config);
            JsonNode merged = json.merge(mapper.valueToTree(writable(current)), patch);
            ConnectionCommand request = json.read(merged, ConnectionCommand.class);
            if (!name.equals(request.name())) {
                throw ManagementException.invalidBody("name cannot be changed");
            }
            if (!entity.strategy.equals(request.strategy())) {
                throw ManagementException.invalidBody("strategy cannot be changed");
            }
            return Offload.call(() -> write(ConnectionRules.toConfig(request, current, cipher, templates)))
                    .flatMap(next -> {
                        if (same(next, entity.config)) {
                            return Uni.createFrom().item(view(entity));
                        }
                        entity.config = next;
                        entity.updatedAt = clock.instant();
                        return outbox.append(ConfigOutbox.connectionKey(name), next).map(v -> view(entity));
                    });
        }), name);
    }

    /**
     * Deletes the connection and publishes its tombstone; clients that had it enabled lose it (and are
     * republished) in the same transaction.
     */
    public Uni<Void> delete(String name) {
        return write(() -> find(name)
                .call(entity -> entity.delete())
                .call(() -> outbox.append(ConfigOutbox.connectionKey(name), null))
                .call(() -> ClientService.all().flatMap(all -> {
                    List<Supplier<Uni<Void>>> updates = new ArrayList<>();
                    for (ClientEntity c : all) {
                        ClientConfig config = clients.read(c.config);
                        if (config.connections().contains(name)) {
                            List<String> left = config.connections().stream().filter(n -> !n.equals(name)).toList();
                            c.config = clients.write(ClientService.withConnections(config, left));
                            c.updatedAt = clock.instant();
                            String key = ConfigOutbox.clientKey(c.clientId);
                            String payload = c.config;
                            updates.add(() -> outbox.append(key, payload));
                        }
                    }
                    return ConfigResync.sequentially(updates);
                }))
                .replaceWithVoid(), name);
    }

    /** Whether a connection exists (for the seed, which creates only what is missing). */
    public Uni<Boolean> exists(String name) {
        return Panache.withSession(() -> ConnectionEntity.<ConnectionEntity>findById(name)).map(e -> e != null);
    }

    private <T> Uni<T> write(Supplier<Uni<T>> work, String name) {
        return Panache.withTransaction(work)
                .invoke(relay::wake)
                .onFailure(PersistenceFailures::duplicateKey).transform(e -> conflict(name))
                .onFailure(PersistenceFailures::concurrentChange).transform(e -> ManagementException.conflict(
                        "conflict", "The connection was changed by another request at the same time; try again."));
    }

    private static Uni<ConnectionEntity> find(String name) {
        return ConnectionEntity.<ConnectionEntity>findById(name).map(e -> {
            if (e == null) {
                throw ManagementException.notFound("inexistent_connection", "The connection does not exist.");
            }
            return e;
        });
    }

    private static ManagementException conflict(String name) {
        return ManagementException.conflict("connection_conflict",
                "A connection with the name '" + name + "' already exists.");
    }

    /** The current writable fields; write-only secrets are left out, so a PATCH without them keeps them. */
    private static ConnectionCommand writable(ConnectionConfig c) {
        ConnectionCommand.Sms sms = c.sms() == null
                ? null
                : new ConnectionCommand.Sms(c.sms().twilioAccountSid(), null, c.sms().source(),
                        c.sms().messagingServiceSid(), c.sms().from());
        ConnectionCommand.Email email = c.email() == null
                ? null
                : new ConnectionCommand.Email(c.email().from(), c.email().smtp() == null
                        ? null
                        : new ConnectionCommand.Smtp(c.email().smtp().host(), c.email().smtp().port(),
                                c.email().smtp().username(), null, c.email().smtp().tls()));
        return new ConnectionCommand(c.name(), c.strategy(), c.enabled(), c.codeLength(), c.codeTtlS(),
                c.maxAttempts(), c.disableSignup(), c.defaultLanguage(), templates(c), sms, email);
    }

    private static Map<String, ConnectionCommand.Template> templates(ConnectionConfig c) {
        Map<String, ConnectionCommand.Template> out = new TreeMap<>();
        c.templates().forEach((k, t) -> out.put(k, new ConnectionCommand.Template(t.subject(), t.body(), t.html())));
        return out;
    }

    ConnectionView view(ConnectionEntity e) {
        ConnectionConfig c = read(e.config);
        ConnectionView.Sms sms = c.sms() == null
                ? null
                : new ConnectionView.Sms(c.sms().twilioAccountSid(), c.sms().twilioAuthTokenEnc() != null,
                        c.sms().source(), c.sms().messagingServiceSid(), c.sms().from());
        ConnectionView.Email email = c.email() == null
                ? null
                : new ConnectionView.Email(c.email().from(), c.email().smtp() == null
                        ? null
                        : new ConnectionView.Smtp(c.email().smtp().host(), c.email().smtp().port(),
                                c.email().smtp().username(), c.email().smtp().passwordEnc() != null,
                                c.email().smtp().tls()));
        return new ConnectionView(c.name(), c.strategy(), c.isEnabled(), c.codeLength(), c.codeTtlS(),
                c.maxAttempts(), c.disableSignup(), c.defaultLanguage(), templates(c), sms, email, e.createdAt,
                e.updatedAt);
    }

    ConnectionConfig read(String config) {
        try {
            return mapper.readValue(config, ConnectionConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored connection config is unreadable", e);
        }
    }

    private String write(ConnectionConfig config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("connection config could not be written", e);
        }
    }

    private boolean same(String a, String b) {
        try {
            return mapper.readTree(a).equals(mapper.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
