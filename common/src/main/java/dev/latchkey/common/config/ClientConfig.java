package dev.latchkey.common.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An application, as published on {@code latchkey.config} under the key {@code client:<client_id>}. Absent
 * optional fields take the defaults of the accessor methods below.
 *
 * @param clientGrants API audience → scopes this client may receive with the {@code client_credentials} grant
 *        (Auth0's "client grants"), e.g. the Management API's {@code read:clients}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientConfig(
        String clientId,
        String name,
        String appType,
        String clientSecretSha256,
        List<String> callbacks,
        List<String> allowedOrigins,
        List<String> connections,
        List<String> grantTypes,
        Integer idTokenTtlS,
        Integer accessTokenTtlS,
        RefreshTokenSettings refreshToken,
        Map<String, List<String>> clientGrants) {

    public static final String KEY_PREFIX = "client:";

    public ClientConfig {
        callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        connections = connections == null ? List.of() : List.copyOf(connections);
        grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
        clientGrants = clientGrants == null
                ? Map.of()
                : clientGrants.entrySet().stream().filter(e -> e.getKey() != null && e.getValue() != null)
                        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** A client with no client grants (the record as it was before {@code client_grants} existed). */
    public ClientConfig(String clientId, String name, String appType, String clientSecretSha256,
            List<String> callbacks, List<String> allowedOrigins, List<String> connections, List<String> grantTypes,
            Integer idTokenTtlS, Integer accessTokenTtlS, RefreshTokenSettings refreshToken) {
        this(clientId, name, appType, clientSecretSha256, callbacks, allowedOrigins, connections, grantTypes,
                idTokenTtlS, accessTokenTtlS, refreshToken, null);
    }

    /** A confidential client has a secret and must present it. */
    public boolean confidential() {
        return clientSecretSha256 != null && !clientSecretSha256.isBlank();
    }

    public boolean connectionEnabled(String connection) {
        return connections.contains(connection);
    }

    public boolean grantEnabled(String grantType) {
        return grantTypes.contains(grantType);
    }

    /** The scopes granted to this client for an API audience; empty when it has no grant for it. */
    public List<String> grantedScopes(String audience) {
        List<String> scopes = audience == null ? null : clientGrants.get(audience);
        return scopes == null ? List.of() : scopes;
    }

    public int idTokenTtlSeconds() {
        return Objects.requireNonNullElse(idTokenTtlS, 36000);
    }

    public int accessTokenTtlSeconds() {
        return Objects.requireNonNullElse(accessTokenTtlS, 86400);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RefreshTokenSettings(Boolean rotation, Integer reuseIntervalS, Integer absoluteTtlS) {

        public boolean rotating() {
            return rotation == null || rotation;
        }

        public int reuseIntervalSeconds() {
            return Objects.requireNonNullElse(reuseIntervalS, 0);
        }

        public int absoluteTtlSeconds() {
            return Objects.requireNonNullElse(absoluteTtlS, 2592000);
        }
    }
}
