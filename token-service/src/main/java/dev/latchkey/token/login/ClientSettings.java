package dev.latchkey.token.login;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.common.auth.AuthConfig;
import dev.latchkey.common.config.ClientConfig;
import dev.latchkey.common.config.ConfigView;
import dev.latchkey.common.config.ConnectionConfig;
import dev.latchkey.token.config.LoginConfig;

/**
 * What Lock learns about a client before it renders, in the shape of Auth0's {@code /client/{client_id}.js}
 * ({@code Auth0.setClient({...})}): its id, the tenant, the authorize URL, the first callback, and its enabled
 * passwordless connections grouped by strategy ({@code strategies: [{name: "sms", connections: [{name}]}]}), which
 * Lock matches against {@code allowedConnections}. Nothing secret: Auth0 serves the same to anyone.
 */
@ApplicationScoped
public class ClientSettings {

    private final ConfigView config;
    private final AuthConfig auth;
    private final LoginConfig login;

    public ClientSettings(ConfigView config, AuthConfig auth, LoginConfig login) {
        this.config = config;
        this.auth = auth;
        this.login = login;
    }

    /** The settings of {@code clientId}, or empty when no client has that id. */
    public Optional<Map<String, Object>> of(String clientId) {
        return config.client(clientId).map(this::settings);
    }

    private Map<String, Object> settings(ClientConfig client) {
        Map<String, List<Map<String, Object>>> byStrategy = new LinkedHashMap<>();
        for (String name : client.connections()) {
            config.connection(name).filter(ConnectionConfig::isEnabled)
                    .filter(c -> ConnectionConfig.SMS.equals(c.strategy())
                            || ConnectionConfig.EMAIL.equals(c.strategy()))
                    .ifPresent(c -> byStrategy.computeIfAbsent(c.strategy(), s -> new ArrayList<>())
                            .add(Map.of("name", c.name())));
        }
        List<Map<String, Object>> strategies = new ArrayList<>();
        byStrategy.forEach((strategy, connections) -> strategies.add(Map.of("name", strategy,
                "connections", connections)));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", client.clientId());
        s.put("tenant", login.tenant());
        // Lock shows the "free plan" badge for "free" and "dev" only.
        s.put("subscription", "self_hosted");
        s.put("authorize", auth.issuerWithSlash() + "authorize");
        s.put("callback", client.callbacks().isEmpty() ? "" : client.callbacks().getFirst());
        s.put("hasAllowedOrigins", !client.allowedOrigins().isEmpty());
        s.put("strategies", strategies);
        return s;
    }
}
