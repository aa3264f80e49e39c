package dev.latchkey.token.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Authorization codes between a redirect and {@code /oauth/token}: in Redis under {@code token:authz:<sha256>} (the
 * code itself is never stored), with a short TTL, taken out with GETDEL so each is exchanged at most once.
 */
@ApplicationScoped
public class AuthorizationCodes {

    private static final String PREFIX = "token:authz:";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;

    public AuthorizationCodes(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
    }

    /** What a code stands for. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grant(String clientId, String userId, String redirectUri, List<String> scope, String audience,
            String nonce, String codeChallenge, String codeChallengeMethod, long authTime) {
    }

    public Uni<Void> save(String code, Grant grant, Duration ttl) {
        String json;
        try {
            json = mapper.writeValueAsString(grant);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return redis.execute("SET", key(code), json, "PX", Long.toString(ttl.toMillis())).replaceWithVoid();
    }

    /** The grant of a code, removing it; null when unknown, expired or already used. */
    public Uni<Grant> consume(String code) {
        return redis.execute("GETDEL", key(code)).map(r -> {
            if (r == null) {
                return null;
            }
            try {
                return mapper.readValue(r.toString(), Grant.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable authorization code record");
            }
        });
    }

    private static String key(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
