package dev.latchkey.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Puts a {@link TcpProxy}, shut at first, between the service under test and each real server named in the
 * {@code servers} init argument ({@code redis}, {@code kafka}, {@code postgres}), so a test can watch readiness go
 * from DOWN to UP. For PostgreSQL the {@code database} init argument names the database.
 */
public class ProxiedServers implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, TcpProxy> PROXIES = new ConcurrentHashMap<>();

    private String[] servers = new String[0];
    private String database = "postgres";

    @Override
    public void init(Map<String, String> initArgs) {
        servers = initArgs.getOrDefault("servers", "").split(",");
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        for (String server : servers) {
            switch (server.strip()) {
                case "redis" -> {
                    TcpProxy p = proxy("redis", LocalServers.redisUrl());
                    config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + p.port());
                }
                case "kafka" -> {
                    TcpProxy p = proxy("kafka", LocalServers.kafkaBootstrap());
                    config.put("kafka.bootstrap.servers", "127.0.0.1:" + p.port());
                }
                case "postgres" -> {
                    TcpProxy p = proxy("postgres", LocalServers.postgresHostPort());
                    config.put("quarkus.datasource.reactive.url",
                            "postgresql://127.0.0.1:" + p.port() + "/" + database);
                    config.put("quarkus.datasource.jdbc.url",
                            "jdbc:postgresql://127.0.0.1:" + p.port() + "/" + database);
                    // Migrations need the database at start; this test starts without one.
                    config.put("quarkus.flyway.migrate-at-start", "false");
                }
                case "" -> {
                }
                default -> throw new IllegalArgumentException("unknown server " + server);
            }
        }
        return config;
    }

    private static TcpProxy proxy(String name, String target) {
        try {
            TcpProxy p = new TcpProxy(LocalServers.host(target), LocalServers.port(target));
            PROXIES.put(name, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy in front of a server, to open or shut from a test. */
    public static TcpProxy proxy(String name) {
        TcpProxy p = PROXIES.get(name);
        if (p == null) {
            throw new IllegalStateException("no proxy for " + name);
        }
        return p;
    }

    @Override
    public void stop() {
        PROXIES.values().forEach(TcpProxy::close);
        PROXIES.clear();
    }
}
