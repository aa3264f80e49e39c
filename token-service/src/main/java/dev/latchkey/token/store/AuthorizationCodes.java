package dev.latchkey.token.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import dev.latchkey.common.redis.LuaScript;
import dev.latchkey.common.redis.ScriptRunner;

/**
 * Authorization codes between a redirect and {@code /oauth/token}: one Redis hash per code under
 * {@code token:authz:<sha256>} (the code itself is never stored), with a short TTL. The first presentation redeems a
 * code (Lua, atomically) instead of deleting it, so that a second one is recognised and can revoke the refresh token
 * family the first one issued (RFC 6749 4.1.2). Scripts: {@code src/main/resources/lua/authz-*.lua}.
 */
@ApplicationScoped
public class AuthorizationCodes {

    private static final String PREFIX = "token:authz:";
    private static final LuaScript SAVE = LuaScript.load("authz-save.lua");
    private static final LuaScript REDEEM = LuaScript.load("authz-redeem.lua");
    private static final LuaScript FAMILY = LuaScript.load("authz-family.lua");

    private final ScriptRunner scripts;
    private final ObjectMapper mapper;

    public AuthorizationCodes(ReactiveRedisDataSource redis, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.scripts = new ScriptRunner(redis.getRedis(), clientType);
        this.mapper = mapper;
    }

    /** What a code stands for. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grant(String clientId, String userId, String redirectUri, List<String> scope, String audience,
            String nonce, String codeChallenge, String codeChallengeMethod, long authTime) {
    }

    /** What one presentation of a code found. */
    public sealed interface Redemption {

        /** The first presentation: the code is redeemed now, and this is its grant. */
        record First(Grant grant) implements Redemption {
        }

        /**
         * The code was presented before (now it is marked replayed).
         *
         * @param family the refresh token family issued from it, or null when none was recorded (yet)
         */
        record Again(String clientId, UUID family) implements Redemption {
        }

        /** Never issued, or expired. */
        record Unknown() implements Redemption {
        }
    }

    /** What became of recording a refresh token family on a redeemed code. */
    public enum FamilyRecord {
        /** Recorded: a later presentation of the code will revoke the family. */
        RECORDED,
        /** Not recorded: the code was presented again while it was being exchanged. */
        REPLAYED,
        /** Not recorded: the code's record is gone (expired or evicted), so a replay could not be ruled out. */
        GONE
    }

    public Uni<Void> save(String code, Grant grant, Duration ttl) {
        String json;
        try {
            json = mapper.writeValueAsString(grant);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return scripts
                .run(SAVE.call(List.of(key(code)), List.of(json, grant.clientId(), Long.toString(ttl.toMillis()))))
                .replaceWithVoid();
    }

    /** Presents a code: redeems it the first time, marks it replayed every later time. */
    public Uni<Redemption> redeem(String code) {
        return scripts.run(REDEEM.call(List.of(key(code)), List.of())).map(this::redemption);
    }

    /** Ties the refresh token family an exchange issued to its code, unless the code was presented again meanwhile. */
    public Uni<FamilyRecord> recordFamily(String code, UUID family) {
        return scripts.run(FAMILY.call(List.of(key(code)), List.of(family.toString())))
                .map(r -> FamilyRecord.valueOf(r.toString().toUpperCase(Locale.ROOT)));
    }

    private Redemption redemption(Response r) {
        return switch (r.get(0).toString()) {
            case "first" -> {
                try {
                    yield new Redemption.First(mapper.readValue(r.get(1).toString(), Grant.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable authorization code record");
                }
            }
            case "again" -> {
                String family = r.get(2).toString();
                yield new Redemption.Again(r.get(1).toString(), family.isEmpty() ? null : UUID.fromString(family));
            }
            case "unknown" -> new Redemption.Unknown();
            default -> throw new IllegalStateException("authz-redeem.lua answered " + r.get(0));
        };
    }

    /** The Redis key of a code (only its SHA-256 is stored). */
    public static String key(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
