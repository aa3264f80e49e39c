package dev.latchkey.common.config;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An application, as published on {@code latchkey.config} under the key {@code client:<client_id>}. Absent
 * optional fields take the defaults of the accessor methods below.
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
        RefreshTokenSettings refreshToken) {

    public static final String KEY_PREFIX = "client:";

    public ClientConfig {
        callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        connections = connections == null ? List.of() : List.copyOf(connections);
        grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
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
